// Closeloop's service worker (served as /s/sw.js, scope /s/): a section page reopens with
// no network. Pages come from the network first and, when it fails, from the copy the
// page's own script keeps of each section it showed (supplier.js, keepPage); the CSS and
// JS under /assets/ never change under one name, so they come from that copy first.
// Nothing is fetched ahead: the worker adds no request to a page's first load.
"use strict";
var PAGES = "closeloop-pages-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name.indexOf("closeloop-") === 0 && name !== PAGES; })
          .map(function (name) { return caches.delete(name); })
      );
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/assets/") === 0) {
    event.respondWith(
      caches.match(request).then(function (kept) { return kept || fetch(request); })
    );
  } else if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(request, { ignoreSearch: true }).then(function (kept) {
          return kept || Response.error();
        });
      })
    );
  }
});
