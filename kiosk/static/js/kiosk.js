/* The kiosk's own behaviour: focus after a step changes, read-aloud, print, idle timeout.
   Every page works without this file; it only makes things smoother. No inline scripts. */
(function () {
  "use strict";

  /* After a step is swapped in (htmx) or loaded, put focus where a screen-reader user and a
     sighted user both expect it: the error summary if there is one, else the question. */
  function focusStart() {
    var target = document.querySelector("[data-focus-first]") || document.querySelector("main h1");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    }
  }

  /* 读给我听: the question, hints and choices, never a number that identifies someone. */
  var speaking = false;
  function readableText() {
    var parts = [];
    document.querySelectorAll("main [data-read]").forEach(function (el) {
      if (el.closest("[data-no-read]") || el.closest("[hidden]")) return;
      parts.push(el.textContent.trim());
    });
    // Safety net: never say a long run of digits aloud (ID, phone, bank account).
    return parts.join("。").replace(/[0-9０-９Xx*＊]{6,}/g, "");
  }
  function stopSpeaking() {
    if (!speaking) return;
    window.speechSynthesis.cancel();
    speaking = false;
    document.querySelectorAll("[data-read-aloud]").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
  }
  function speak(button) {
    var utterance = new SpeechSynthesisUtterance(readableText());
    utterance.lang = document.documentElement.lang === "en" ? "en-US" : "zh-CN";
    utterance.rate = 0.85;
    utterance.onend = stopSpeaking;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
    speaking = true;
    button.setAttribute("aria-pressed", "true");
  }
  function setUpPage() {
    if ("speechSynthesis" in window) {
      document.querySelectorAll("[data-read-aloud]").forEach(function (b) {
        b.hidden = false;
        b.setAttribute("aria-pressed", "false");
      });
    }
    document.querySelectorAll("[data-print]").forEach(function (b) { b.hidden = false; });
    document.querySelectorAll("[data-print-self]").forEach(function (b) { b.hidden = false; });
    // With JavaScript a photo uploads as soon as it is taken: no second button to find.
    document.querySelectorAll("[data-upload-submit]").forEach(function (b) { b.hidden = true; });
  }

  document.addEventListener("change", function (event) {
    var input = event.target.closest("[data-autosubmit]");
    if (input && input.files && input.files.length) input.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print-self]")) window.print();
  });
  document.addEventListener("click", function (event) {
    var reader = event.target.closest("[data-read-aloud]");
    if (reader) {
      if (speaking) stopSpeaking(); else speak(reader);
      return;
    }
    var printer = event.target.closest("[data-print]");
    if (printer) printPage(printer.getAttribute("data-print"));
  });
  // The next tap anywhere else stops the reading.
  document.addEventListener("pointerdown", function (event) {
    if (!event.target.closest("[data-read-aloud]")) stopSpeaking();
  }, true);

  /* 打印回执: print the receipt page (its own 80 mm layout) from a hidden frame, so the
     screen stays where it is; without a URL, print this page. */
  function printPage(url) {
    if (!url) { window.print(); return; }
    var old = document.getElementById("print-frame");
    if (old) old.remove();
    var frame = document.createElement("iframe");
    frame.id = "print-frame";
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.addEventListener("load", function () { frame.contentWindow.print(); });
    frame.src = url;
    document.body.appendChild(frame);
  }
  function printIfAsked() {
    var now = document.querySelector("[data-print-now]");
    if (now) {
      now.removeAttribute("data-print-now");  // once: not again on Back or a refresh
      printPage(now.getAttribute("data-print"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpPage();
    printIfAsked();
    if (document.querySelector("[data-focus-first]")) focusStart();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (isRefresh(event)) return; /* the same page, newer: leave focus and speech alone */
    stopSpeaking();
    setUpPage();
    printIfAsked();
    focusStart();
  });

  /* The tracking page refreshes itself every minute ([data-refresh]), but never while
     someone is filling in one of its forms: nothing they chose or typed is lost. */
  function isRefresh(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-refresh"));
  }
  document.addEventListener("input", function (event) {
    if (event.target.form) event.target.form.setAttribute("data-touched", "");
  });
  function beingFilledIn(region) {
    var active = document.activeElement;
    return !!(region.querySelector("form[data-touched]") || (active && active.form && region.contains(active)));
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isRefresh(event) && beingFilledIn(event.detail.elt)) event.preventDefault();
  });
  // A refresh already on its way (a slow line) when she starts typing is not swapped in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isRefresh(event) && beingFilledIn(event.detail.elt)) event.detail.shouldSwap = false;
  });

  /* Shared-kiosk safety: after a while without a touch, ask; then clear the screen, the
     session, the cache and storage, and go home. The draft stays on the server. */
  var warnTimer = null, clearTimer = null, tick = null;
  function idleSeconds(name) {
    return parseInt(document.body.getAttribute("data-idle-" + name), 10) || 0;
  }
  function endSession() {
    try { window.localStorage.clear(); window.sessionStorage.clear(); } catch (e) { /* private mode */ }
    var form = document.querySelector("[data-idle-end]");
    if (form) form.submit(); else window.location.replace("/");
  }
  function showWarning() {
    var dialog = document.getElementById("idle-dialog");
    if (!dialog) return;
    stopSpeaking();
    var remaining = idleSeconds("clear");
    var counter = dialog.querySelector("[data-idle-countdown]");
    if (counter) counter.textContent = remaining;
    if (!dialog.open) dialog.showModal();
    var button = dialog.querySelector("[data-idle-continue]");
    if (button) button.focus();
    tick = window.setInterval(function () {
      remaining = Math.max(0, remaining - 1);
      if (counter) counter.textContent = remaining;
    }, 1000);
    clearTimer = window.setTimeout(endSession, idleSeconds("clear") * 1000);
  }
  function arm() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(clearTimer);
    window.clearInterval(tick);
    if (idleSeconds("warn")) warnTimer = window.setTimeout(showWarning, idleSeconds("warn") * 1000);
  }
  function stillHere() {
    var dialog = document.getElementById("idle-dialog");
    if (dialog && dialog.open) dialog.close();
    arm();
  }
  ["pointerdown", "keydown", "input"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var dialog = document.getElementById("idle-dialog");
      if (dialog && dialog.open && !event.target.closest("[data-idle-continue]")) return;
      arm();
    }, true);
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-idle-continue]")) stillHere();
  });
  document.addEventListener("DOMContentLoaded", arm);
  document.addEventListener("htmx:afterSettle", arm);

  window.kiosk = { focusStart: focusStart, readableText: readableText };
})();
