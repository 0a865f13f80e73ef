// pmcoach message coach: checks the draft while you type. The page works
// without this file (the form posts to /coach); with it, a pause in typing
// posts the draft to /coach/live and swaps in the result the server renders
// with the same template as the full page.
(function () {
  "use strict";
  var form = document.getElementById("coach-form");
  var text = document.getElementById("text");
  var audience = document.getElementById("audience");
  var kind = document.getElementById("kind");
  var slot = document.getElementById("coach-result");
  var status = document.getElementById("coach-status");
  var problem = document.getElementById("coach-live-error");
  var needs = document.getElementById("audience-needs");
  var hint = document.getElementById("coach-live-hint");
  if (!form || !text || !audience || !kind || !slot || !window.fetch) return;
  var csrfInput = form.querySelector("input[name=_csrf]");
  var csrf = csrfInput ? csrfInput.value : "";

  var DELAY = 400;
  var timer = null;
  var controller = null;
  var sequence = 0;
  var lastSent = null;
  var lastAnnounced = "";

  function draft() {
    return { text: text.value, audience: audience.value, kind: kind.value };
  }

  function showProblem(message) {
    if (!problem) return;
    if (message) {
      problem.textContent = message;
      problem.hidden = false;
      slot.classList.add("stale");
    } else {
      problem.hidden = true;
      problem.textContent = "";
      slot.classList.remove("stale");
    }
  }

  function announce(message) {
    if (!status || !message || message === lastAnnounced) return;
    lastAnnounced = message;
    status.textContent = message;
  }

  // The fields are valid again once the server accepts a draft.
  function clearFieldErrors() {
    form.querySelectorAll("[aria-invalid=true]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".field-error").forEach(function (error) {
      if (error !== problem) error.hidden = true;
    });
    document.querySelectorAll(".coach-errors").forEach(function (alert) {
      alert.hidden = true;
    });
  }

  function check() {
    var body = draft();
    var key = JSON.stringify(body);
    if (key === lastSent) return;
    lastSent = key;
    if (controller) controller.abort();
    controller = typeof AbortController === "function" ? new AbortController() : null;
    var mine = ++sequence;
    slot.setAttribute("aria-busy", "true");
    fetch("/coach/live", {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "content-type": "application/json", "x-csrf-token": csrf, accept: "text/html" },
      body: key,
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (mine !== sequence) return;
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          lastSent = null;
          showProblem("Your session has ended, so the live check has stopped. Copy your draft somewhere safe, then reload the page and sign in.");
          return;
        }
        if (!response.ok) {
          return response.json().then(
            function (error) {
              if (mine !== sequence) return;
              showProblem((error && error.error && error.error.message) || "The coach could not check this draft.");
            },
            function () {
              if (mine === sequence) showProblem("The live check is not available right now; press Check message instead.");
            }
          );
        }
        return response.text().then(function (html) {
          if (mine !== sequence) return;
          slot.innerHTML = html;
          showProblem("");
          clearFieldErrors();
          var result = slot.querySelector("[data-summary]");
          announce(result ? result.getAttribute("data-summary") : "");
        });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        if (mine !== sequence) return;
        lastSent = null;
        showProblem("The live check is not available right now; press Check message instead.");
      })
      .then(function () {
        if (mine === sequence) slot.removeAttribute("aria-busy");
      });
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, DELAY);
  }

  function now() {
    if (timer) clearTimeout(timer);
    check();
  }

  function describeAudience() {
    var option = audience.options[audience.selectedIndex];
    var line = option && option.getAttribute("data-needs");
    if (needs && line) needs.textContent = line;
  }

  text.addEventListener("input", later);
  audience.addEventListener("change", function () {
    describeAudience();
    now();
  });
  kind.addEventListener("change", now);

  if (hint) hint.hidden = false;
  // A draft already on the page (an example, or a link) is checked at once;
  // one the server already checked is remembered so it is not sent again.
  if (slot.querySelector("[data-summary]")) {
    lastSent = JSON.stringify(draft());
  } else if (text.value.trim() !== "" && !document.querySelector(".coach-errors")) {
    check();
  }
})();
