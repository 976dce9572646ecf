/* ExamPrep exam room: countdown display, keyboard shortcuts, save retries, choice limits.
 * The server owns time: the countdown only shows the server's remaining seconds, re-read from
 * every response, and at zero it asks the server to finish. No inline scripts (strict CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // ---- Countdown -----------------------------------------------------------------------
  var WARNINGS = [30, 10, 5];
  var countdown = { deadlineMs: null, timerId: null, attempt: null };

  function readTimer() {
    var timer = document.getElementById("timer");
    if (!timer) { return; }
    var remaining = parseInt(timer.dataset.remaining, 10);
    if (isNaN(remaining)) { return; }
    countdown.attempt = timer.dataset.attempt;
    // Remaining seconds from the server, anchored to this response's arrival.
    countdown.deadlineMs = Date.now() + remaining * 1000;
    if (!countdown.timerId) { countdown.timerId = setInterval(tick, 1000); }
    tick();
  }

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function announce(message) {
    var region = document.getElementById("timer-announcer");
    if (region) { region.textContent = message; }
  }

  function tick() {
    var timer = document.getElementById("timer");
    if (!timer || countdown.deadlineMs === null) { return; }
    var seconds = Math.max(0, Math.round((countdown.deadlineMs - Date.now()) / 1000));
    var value = timer.querySelector("[data-timer-value]");
    if (value) { value.textContent = format(seconds); }
    timer.classList.toggle("is-low", seconds <= 300);
    WARNINGS.forEach(function (minutes) {
      var key = "examprep-warned-" + countdown.attempt + "-" + minutes;
      if (seconds <= minutes * 60 && seconds > (minutes * 60) - 60 && !sessionStorage.getItem(key)) {
        sessionStorage.setItem(key, "1");
        announce(minutes + " minutes left.");
      }
    });
    if (seconds === 0) {
      clearInterval(countdown.timerId);
      countdown.timerId = null;
      announce("Time is up. Submitting your exam.");
      var form = document.getElementById("auto-finish-form");
      // Time is up: the server keeps what it saved before the deadline, so nothing is gained
      // by holding the page for a retry.
      unsaved = false;
      if (form && !form.dataset.sent) { form.dataset.sent = "1"; form.submit(); }
    }
  }

  // ---- Saving: sequence numbers and retries --------------------------------------------
  var lastSeq = 0;
  function nextSeq() {
    // A millisecond clock, strictly increasing in this tab: the server ignores any save whose
    // number is not newer than the last one it applied.
    lastSeq = Math.max(Date.now(), lastSeq + 1);
    return lastSeq;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.closest && event.detail.elt.closest("#answer-form")) {
      event.detail.parameters.seq = String(nextSeq());
    }
  });

  var retryDelay = 1000;
  var unsaved = false; // a save failed and its retry has not landed yet

  // Leaving while a save is still being retried would lose it: ask first.
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
  function showStatus(text, isError) {
    var status = document.getElementById("save-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("save-error", !!isError);
  }

  function scheduleRetry(event) {
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("#answer-form") : null;
    if (!form) { return; }
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 422) { return; } // refused on purpose: the message says why
    unsaved = true;
    showStatus("Not saved, retrying…", true);
    setTimeout(function () {
      if (document.body.contains(form)) { htmx.trigger(form, "retry-save"); }
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }
  document.addEventListener("htmx:sendError", scheduleRetry);
  document.addEventListener("htmx:responseError", scheduleRetry);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) { retryDelay = 1000; unsaved = false; }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // A refused selection (422) carries the message to show in the status line.
    if (event.detail.xhr.status === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });

  // ---- Multiple response: lock the rest once enough are chosen -------------------------
  function enforceCount(form) {
    if (!form || form.dataset.kind !== "multiple") { return; }
    var limit = parseInt(form.dataset.selectCount, 10);
    var boxes = form.querySelectorAll('input[name="choice"]');
    var chosen = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    boxes.forEach(function (box) { box.disabled = !box.checked && chosen >= limit; });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || form.id !== "answer-form") { return; }
    if (event.target.name === "choice") { enforceCount(form); lastChoice = event.target.closest(".choice-row"); }
    if (event.target.name === "struck") {
      var row = event.target.closest(".choice-row");
      row.classList.toggle("is-struck", event.target.checked);
      lastChoice = row;
    }
  });

  // ---- Keyboard ------------------------------------------------------------------------
  var lastChoice = null;
  function choiceRows() { return document.querySelectorAll("#answer-form .choice-row"); }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "select" ||
        (tag === "input" && /text|search|password|email/.test(event.target.type))) { return; }
    var key = event.key.toLowerCase();
    var form = document.getElementById("answer-form");
    if (form && handleAnswerKey(form, key)) { event.preventDefault(); return; }
    // Navigation keys work wherever a control carries data-key (exam room, feedback, review).
    var target = document.querySelector('[data-key="' + key + '"]');
    if (target && !target.disabled) { target.click(); event.preventDefault(); }
  });

  function handleAnswerKey(form, key) {
    // F is the flag key, so the sixth choice is selected with 6 only (letters stop at E).
    var index = "123456".indexOf(key);
    if (index < 0) { index = "abcde".indexOf(key); }
    if (index >= 0 && key.length === 1) {
      var rows = choiceRows();
      if (index >= rows.length) { return false; }
      var input = rows[index].querySelector('input[name="choice"]');
      if (!input.disabled) { input.click(); }
      input.focus();
      lastChoice = rows[index];
      return true;
    }
    if (key === "x") {
      var active = document.activeElement;
      var row = lastChoice && document.body.contains(lastChoice) ? lastChoice
        : (active && active.closest ? active.closest(".choice-row") : null);
      if (row) { row.querySelector('input[name="struck"]').click(); }
      return !!row;
    }
    if (key === "f") { form.querySelector('input[name="flagged"]').click(); return true; }
    return false;
  }

  // ---- Start-up and after every swap ---------------------------------------------------
  function onLoad() {
    readTimer();
    var form = document.getElementById("answer-form");
    enforceCount(form);
    lastChoice = null;
    // Marks a question whose form htmx has wired up; browser tests wait for it.
    if (form) { form.dataset.ready = "1"; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    onLoad();
    if (window.htmx) { htmx.onLoad(onLoad); }
  });
})();
