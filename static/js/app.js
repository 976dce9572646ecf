/* ExamPrep exam room: countdown display, keyboard shortcuts, save status and retries, choice
 * limits, strike-outs. The server owns time and the order of saves: the countdown only shows the
 * server's remaining seconds, and every save carries the version the server issued with the
 * page. No inline scripts (strict CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // ---- State shared by the sections below -----------------------------------------------
  var WARNINGS = [30, 10, 5];
  var RESYNC_EVERY_MS = 5 * 60 * 1000;
  var countdown = { deadlineMs: null, timerId: null, attempt: null };
  var unsaved = false;      // a save failed and its retry has not landed yet
  var retryDelay = 1000;
  var refusedRetries = 0;   // retries after a 403, which are few
  var lastChoice = null;    // the choice row the keyboard or pointer touched last

  // ---- CSRF: read fresh for every request ------------------------------------------------
  // A login in another tab rotates the token; a token frozen into the page would then refuse
  // every save.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
    var elt = event.detail.elt;
    if (elt && elt.id === "answer-form") {
      var trigger = event.detail.triggeringEvent;
      // A change (or a retry) saves in place; only a button press navigates. htmx would
      // otherwise send along the last button clicked in the form.
      if (!trigger || trigger.type !== "submit") { event.detail.parameters.go = "stay"; }
    }
  });

  // ---- Time zone: reported once, when the account has none --------------------------------
  // The server shows every time in the candidate's zone; until one is chosen it asks the
  // browser for its zone (data-detect-time-zone) and stores it for next time.
  document.addEventListener("DOMContentLoaded", function () {
    var url = document.body.getAttribute("data-detect-time-zone");
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Never from the exam room: its saves own the connection there; the next page asks.
    if (document.body.classList.contains("exam-room")) { return; }
    if (!url || !zone || !window.fetch) { return; }
    var body = new FormData();
    body.append("time_zone", zone);
    body.append("detected", "on");
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status === 204) { document.body.removeAttribute("data-detect-time-zone"); }
    }, function () { /* offline: asked again on the next page */ });
  });

  // ---- Countdown -----------------------------------------------------------------------
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

  // Every save response carries the server's remaining time; between saves the countdown is
  // checked against the server when the tab comes back, the network returns, or every few
  // minutes (not polled every minute).
  function resync() {
    var timer = document.getElementById("timer");
    if (timer && window.htmx) { htmx.trigger(timer, "resync"); }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { resync(); }
  });
  window.addEventListener("online", resync);
  setInterval(resync, RESYNC_EVERY_MS);

  // ---- Save status and retries ----------------------------------------------------------
  window.addEventListener("beforeunload", function (event) {
    // Leaving while a save is still being retried would lose it: ask first.
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });

  function showStatus(text, isError) {
    var status = document.getElementById("save-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("save-error", !!isError);
  }

  function retryLater(form, delay) {
    setTimeout(function () {
      if (document.body.contains(form)) { htmx.trigger(form, "retry-save"); }
    }, delay);
  }

  function saveFailed(event) {
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("#answer-form") : null;
    if (!form) { return; }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    unsaved = true;
    if (status === 401) {
      // Logged out in another tab: keep the answer on the page and retry until the
      // candidate has logged in again (in any tab).
      showStatus(event.detail.xhr.responseText, true);  // the server's words, kept in one place
      retryLater(form, 5000);
      return;
    }
    if (status === 404) {
      unsaved = false;
      showStatus("This question could not be found; reload the page.", true);
      return;
    }
    if (status === 403) {
      if (refusedRetries >= 3) {
        showStatus("The server refused this save; reload the page. Your earlier answers are saved.", true);
        return;
      }
      refusedRetries += 1;
    }
    showStatus("Not saved, retrying…", true);
    retryLater(form, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }
  document.addEventListener("htmx:sendError", saveFailed);
  document.addEventListener("htmx:responseError", saveFailed);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) { retryDelay = 1000; refusedRetries = 0; unsaved = false; }
  });

  // ---- Multiple response: lock the rest once enough are chosen -------------------------
  function enforceCount(form) {
    if (!form || form.dataset.kind !== "multiple") { return; }
    var limit = parseInt(form.dataset.selectCount, 10);
    var boxes = form.querySelectorAll('input[name="choice"]');
    var chosen = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    boxes.forEach(function (box) { box.disabled = !box.checked && chosen >= limit; });
  }

  // ---- Strike-out: a choice is either selected or struck, never both --------------------
  // Listening in the capture phase runs this before htmx reads the form for the save.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || form.id !== "answer-form") { return; }
    var row = event.target.closest(".choice-row");
    if (!row) { return; }
    var choice = row.querySelector('input[name="choice"]');
    var struck = row.querySelector('input[name="struck"]');
    if (event.target === struck && struck.checked && choice.checked) {
      choice.checked = false; // striking a selected choice deselects it
    }
    if (event.target === choice && choice.checked && struck.checked) {
      struck.checked = false; // selecting a struck choice un-strikes it
    }
    form.querySelectorAll(".choice-row").forEach(function (each) {
      var mark = each.querySelector('input[name="struck"]');
      each.classList.toggle("is-struck", !!(mark && mark.checked));
    });
    enforceCount(form);
    lastChoice = row;
  }, true);

  // ---- Keyboard ------------------------------------------------------------------------
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
    var selects = form.querySelectorAll(".placement-select");
    if (index >= 0 && key.length === 1 && selects.length) {
      // Ordering and matching: the key goes to that step's or prompt's list (arrows choose).
      if (index >= selects.length) { return false; }
      selects[index].focus();
      return true;
    }
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
      // The focused choice first (Tab moves focus without selecting), else the last touched.
      var active = document.activeElement;
      var focused = active && active.closest ? active.closest(".choice-row") : null;
      var row = focused || (lastChoice && document.body.contains(lastChoice) ? lastChoice : null);
      if (row) { row.querySelector('input[name="struck"]').click(); }
      return !!row;
    }
    if (key === "f") { form.querySelector('input[name="flagged"]').click(); return true; }
    return false;
  }

  // ---- Start-up and after every swap ---------------------------------------------------
  function onLoad(elt) {
    readTimer();
    var form = document.getElementById("answer-form");
    enforceCount(form);
    // After "Check answer" the verdict is what the candidate needs next: in view and focused.
    // Only when it arrives in a swap: a page that opens on a verdict (review) keeps its top.
    var swapped = elt && elt !== document.body && elt.querySelector;
    var verdict = swapped ? elt.querySelector("#verdict") : null;
    if (verdict) {
      verdict.focus({ preventScroll: true });
      verdict.scrollIntoView({ block: "center" });
    }
    // Marks a question whose form htmx has wired up; browser tests wait for it.
    if (form) { form.dataset.ready = "1"; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    onLoad(null);
    if (window.htmx) { htmx.onLoad(onLoad); }
  });
})();
