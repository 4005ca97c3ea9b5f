// Show-if questions appear and disappear as the supplier answers (the server decides
// the same after a save, so the page works without this script).
(function () {
  "use strict";
  var form = document.querySelector(".section-form");
  if (!form) return;
  function answerOf(key) {
    var inputs = form.querySelectorAll('[name="q-' + key + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value) values.push(input.value);
    });
    return values;
  }
  function isShown(fieldset) {
    var controller = fieldset.getAttribute("data-show-if");
    if (!controller) return true;
    var owner = document.getElementById("q-" + controller);
    if (!owner) return !fieldset.hidden; // controlled from another section: as the server said
    if (!isShown(owner)) return false;
    var wanted = fieldset.getAttribute("data-show-values").split(" ");
    return answerOf(controller).some(function (v) { return wanted.indexOf(v) !== -1; });
  }
  function refresh() {
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (fieldset) {
      if (!document.getElementById("q-" + fieldset.getAttribute("data-show-if"))) return;
      fieldset.hidden = !isShown(fieldset);
    });
  }
  // An exclusive option ("None") and the other options of its question untick each other.
  function keepExclusiveAlone(event) {
    var ticked = event.target;
    if (ticked.type !== "checkbox" || !ticked.checked) return;
    var alone = ticked.hasAttribute("data-exclusive");
    form.querySelectorAll('input[type="checkbox"][name="' + ticked.name + '"]').forEach(
      function (other) {
        if (other !== ticked && (alone || other.hasAttribute("data-exclusive"))) {
          other.checked = false;
        }
      }
    );
  }
  form.addEventListener("change", keepExclusiveAlone);
  form.addEventListener("change", refresh);
  refresh();
})();

// Autosave and the offline queue. A change goes first to localStorage (this tab's queue of
// saves for this section: id, answers, the stamps they were typed against), then to the
// server; a save leaves the queue, and "Saved" shows, only when the server acknowledged its
// id. A resend keeps its id, so it is stored once. Each tab writes only its own queue (two
// tabs on one section never overwrite or drop each other's); a page takes over the queues
// of tabs that closed before the server had them. Without this script Save posts the form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var d = form.dataset, base = "closeloop:" + d.autosave, PAGES = "closeloop-pages-v1"; // as sw.js
  var tab = tabId(), key = base + " " + tab, line = tab; // line: whose answers the fields show
  var stamps = form.elements.stamps, token = form.elements.csrf_token || {}, status = form.querySelector(".save-status");
  var banner = form.querySelector(".save-banner"), stored = "stored" in d;
  var acked = stored ? content(1) : null; // what the server holds, when known
  var queue = [], busy, timer, tries = 0, waiting, button, renewed, asked;
  var stopped = !!form.querySelector(".conflict"); // Save, not the script, settles a conflict
  function newId() { return [].map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join(""); }
  function tabId() { // kept by the tab across reloads; a duplicated tab gets its own (claim)
    try { return sessionStorage.getItem("closeloop:tab") || newTab(); } catch (e) { return newId(); }
  }
  function newTab() { var id = newId(); try { sessionStorage.setItem("closeloop:tab", id); } catch (e) {} return id; }
  function each(list, fn) { [].forEach.call(list, fn); }
  function fields(fn) { each(form.elements, function (f) { if (/^q-/.test(f.name)) fn(f, /radio|checkbox/.test(f.type)); }); }
  function content(served) { // [[name, value], …] as typed, or as served
    var pairs = [];
    fields(function (f, tick) {
      if (!tick || (served ? f.defaultChecked : f.checked)) pairs.push([f.name, tick || !served ? f.value : f.defaultValue]);
    });
    return JSON.stringify(pairs);
  }
  function fill(text, served) {
    var values = {};
    JSON.parse(text).forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    fields(function (f, tick) {
      var mine = values[f.name] || [], value = tick ? mine.indexOf(f.value) > -1 : mine.length ? mine.shift() : "";
      var prop = tick ? (served ? "defaultChecked" : "checked") : served ? "defaultValue" : "value";
      if (f[prop] !== value) f[prop] = value;
    });
  }
  function write() {
    try { queue.length ? localStorage.setItem(key, JSON.stringify(queue)) : localStorage.removeItem(key); } catch (e) {}
    if (queue.length && !asked && navigator.storage && navigator.storage.persist) asked = navigator.storage.persist();
  }
  function note() {
    var now = content(), last = queue[queue.length - 1];
    if (last && last.content === now) return;
    if (last && !last.sent && last.line === line) queue.pop(); // replaced by what the fields show
    if (queue.length || now !== acked) queue.push({ id: newId(), content: now, stamps: stamps.value, line: line });
    write();
  }
  function say(text) { status.textContent = text || ""; }
  function flag(text) { banner.textContent = text || ""; banner.hidden = !text; }
  function mark(kind, texts) { // per-question errors or conflicts, above each field
    each(form.querySelectorAll("p." + kind), function (p) { p.remove(); });
    each(form.querySelectorAll(".has-error"), function (q) { q.classList.toggle("has-error", !!q.querySelector(".error,.conflict")); });
    Object.keys(texts || {}).forEach(function (k) {
      var q = document.getElementById("q-" + k), p = document.createElement("p");
      if (!q) return;
      p.className = kind;
      p.setAttribute("role", "alert");
      p.textContent = texts[k];
      q.insertBefore(p, q.querySelector(".choices,.number,input,textarea"));
      q.classList.add("has-error");
    });
  }
  function later(ms) { clearTimeout(timer); timer = setTimeout(send, ms); }
  function send() {
    var save = queue[0], body = new URLSearchParams(), stop = window.AbortController && new AbortController();
    clearTimeout(timer);
    if (busy || stopped || !save || save.held) return;
    if (navigator.onLine === false) return failed(d.textOffline); // sent on "online"
    [["csrf_token", token.value], ["stamps", save.stamps], ["save_id", save.id]]
      .concat(JSON.parse(save.content)).forEach(function (p) { body.append(p[0], p[1]); });
    busy = save.sent = true;
    write();
    say(d.textSaving);
    var slow = setTimeout(function () { if (stop) stop.abort(); }, 30000);
    fetch(d.autosave, { method: "POST", body: body, credentials: "same-origin", signal: stop && stop.signal, keepalive: String(body).length < 6e4 })
      .then(function (r) { return r.json().catch(function () { return {}; }); })
      .then(function (reply) { busy = false; clearTimeout(slow); answer(save, reply); }, function () {
        busy = false;
        clearTimeout(slow);
        failed(navigator.onLine === false ? d.textOffline : d.textFailed);
      });
  }
  function answer(save, reply) {
    var outcome = reply.status;
    if (outcome) flag(); // the server answered: online
    if (outcome === "expired" && renewed !== save.id) {
      renewed = save.id;
      each(document.querySelectorAll("[name=csrf_token]"), function (t) { t.value = reply.csrf_token; });
      return send();
    }
    if (outcome === "saved") return settle(save, reply.stamps);
    if (outcome === "invalid") {
      mark("error", reply.errors);
      if (queue.length > 1) return queue.shift() && send(); // a later change replaces it
      if (save.line !== line) return queue.shift() && write(); // not what the fields show
      save.sent = false;
      save.held = true; // until the next change
      write();
    } else if (outcome === "conflict") {
      stopped = true; // Save shows both values and keeps what this page shows
      mark("conflict", reply.conflicts);
    } else if (outcome === "refused" || outcome === "signed_out") {
      stopped = true;
    } else {
      return failed(d.textFailed);
    }
    say(reply.message);
    if (outcome === "signed_out") {
      var a = document.createElement("a");
      a.href = d.signIn;
      a.textContent = d.textSignIn;
      status.append(" ", a);
    }
    if (waiting) submit(); // the server's page takes it from here
  }
  function settle(save, newStamps) {
    if (queue[0] === save) queue.shift();
    tries = 0;
    // later saves typed on top of this one carry on from its stamps; another tab's keep theirs
    queue.forEach(function (next) { if (next.line === save.line) next.stamps = newStamps; });
    if (save.line === line) {
      acked = save.content;
      stamps.value = newStamps;
      fill(acked, 1); // the page as the server holds it, for the copy kept offline
      mark("error");
    }
    write();
    if (queue.length) return send();
    flag();
    say(d.textSaved);
    keepPage();
    if (waiting) submit();
  }
  function failed(text) {
    say(text);
    flag(text);
    waiting = null;
    later(Math.min(6e4, 1000 * Math.pow(2, ++tries)));
  }
  function now() { note(); send(); }
  function submit() { // Save posts the form once the server holds all this phone typed
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = waiting.name || "";
    input.value = waiting.value || "";
    form.appendChild(input);
    stopped = true;
    waiting = null;
    HTMLFormElement.prototype.submit.call(form);
  }
  form.addEventListener("click", function (e) { button = e.target.closest("button") || button; });
  form.addEventListener("submit", function (e) {
    note();
    if (stopped || !queue.length) return;
    e.preventDefault();
    waiting = e.submitter || button || {};
    try { send(); } catch (err) { submit(); } // never a Save button that does nothing
  });
  function keepPage() { // a page of stored answers and its CSS and JS, to reopen offline
    if (!stored || !window.caches) return;
    var page = document.documentElement.cloneNode(true), assets = [];
    each(page.querySelectorAll("main>.flash[role=status],p.error,p.conflict"), function (p) { p.remove(); });
    page.querySelector(".save-status").textContent = "";
    page.querySelector(".save-banner").hidden = true;
    each(document.querySelectorAll("link[rel=stylesheet],script[src]"), function (a) { assets.push(a.href || a.src); });
    caches.open(PAGES).then(function (cache) {
      cache.put(location.href.split("#")[0], new Response("<!doctype html>\n" + page.outerHTML, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
      return cache.keys().then(function (kept) {
        kept.forEach(function (r) { if (/\/assets\//.test(r.url) && assets.indexOf(r.url) < 0) cache.delete(r); });
        assets.forEach(function (url) { cache.match(url).then(function (hit) { return hit || cache.add(url); }); });
      });
    }).catch(function () {});
  }

  function read(name) {
    var saves = [];
    try { saves = JSON.parse(localStorage.getItem(name)) || []; } catch (e) {}
    saves.forEach(function (save) { delete save.held; save.line = save.line || name; });
    return saves;
  }
  function restore(last) { // a queue's last save comes back into the fields, and is sent
    if (last.content !== content(1)) {
      fill(last.content);
      form.dispatchEvent(new Event("change")); // show-if follows
      stamps.value = last.stamps;
      flag(d.textUnsent);
    }
    line = last.line;
  }
  function adopt(alive) { // the queues of tabs now closed (alive(id) false) join this one
    var found = [], i, name, saves;
    for (i = 0; i < localStorage.length; i++) {
      name = localStorage.key(i);
      if (name === base || (name.indexOf(base + " ") === 0 && name !== key && !alive(name.slice(base.length + 1)))) found.push(name);
    }
    found.forEach(function (name) {
      saves = read(name);
      localStorage.removeItem(name);
      if (saves.length) queue.unshift(saves[saves.length - 1]); // its latest holds all it typed
    });
    if (!found.length) return;
    var last = queue[queue.length - 1];
    if (last && last.line !== line && !stopped) restore(last); // nothing typed here yet
    write();
    send();
  }
  function claim(then) { // this tab's lock, held for the page's life, tells others it is open
    var locks = navigator.locks, granted;
    if (!locks || !locks.query) return then(function () { return false; });
    var hold = function () {
      granted = true;
      locks.query().then(function (state) {
        var names = state.held.concat(state.pending).map(function (l) { return l.name; });
        then(function (id) { return names.indexOf("closeloop:tab " + id) > -1; });
      }, function () {});
      return new Promise(function () {});
    };
    locks.request("closeloop:tab " + tab, hold).catch(function () {});
    setTimeout(function () { // held by another open tab: a duplicate, with a copied id
      if (granted) return;
      var old = key;
      tab = newTab();
      key = base + " " + tab;
      queue.forEach(function (save) { if (save.line === line) save.line = tab; });
      line = tab;
      write();
      localStorage.removeItem(old);
      locks.request("closeloop:tab " + tab, hold).catch(function () {});
    }, 1000);
  }

  // The page paints first: what a page needs on opening runs after the load event, in a task
  // of its own (Save already waits for the server meanwhile; what was typed is read from the
  // fields when it starts).
  function start() {
    // On opening: what this tab has not sent yet comes back into the fields, and is sent.
    queue = read(key);
    var last = queue[queue.length - 1];
    if (last && last.content === acked) {
      queue = []; // the server holds exactly this
      write();
    } else if (last && !stopped) {
      restore(last);
      send();
    } else if (!last && content() !== (stored ? acked : content(1))) {
      now(); // typed before this started, or put back by the browser on a reload
    }
    try { claim(adopt); } catch (e) {}
    if (navigator.onLine === false) flag(d.textOffline);
    keepPage();
    form.addEventListener("input", function () { note(); later(1500); });
    form.addEventListener("change", function () { note(); later(1500); });
    form.addEventListener("focusout", now);
    addEventListener("pagehide", now);
    document.addEventListener("visibilitychange", function () { if (document.hidden) now(); });
    addEventListener("online", function () { tries = 0; queue.length ? send() : flag(); });
    addEventListener("offline", function () { flag(d.textOffline); });
    var signOut = document.querySelector(".top form"), sw = navigator.serviceWorker;
    if (signOut && window.caches) signOut.addEventListener("submit", function () { caches.delete(PAGES); });
    if (sw) sw.register(d.worker, { scope: "/s/" }).catch(function () {});
  }
  if (document.readyState === "complete") setTimeout(start); else addEventListener("load", function () { setTimeout(start); });
})();
