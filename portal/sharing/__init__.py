"""Answer once, share: start one customer's questionnaire from answers given another."""
