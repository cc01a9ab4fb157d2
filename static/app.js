// My Calendar: small enhancements on pages that work without JavaScript.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The edit scope radios reload the form for the chosen scope at once; the form's own
  // "Load" button is for browsers without JavaScript. Unsaved changes are confirmed first.
  const editForm = document.getElementById("event-form");
  let dirty = false;
  if (editForm) {
    editForm.addEventListener("input", () => { dirty = true; });
  }
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", (ev) => {
      if (ev.target.type !== "radio") return;
      if (dirty && !window.confirm("Switching reloads the form with the values for that choice. Your unsaved changes will be lost.")) {
        const checked = form.querySelector("input[type=radio][data-initial]");
        if (checked) checked.checked = true;
        return;
      }
      form.submit();
    });
    const initial = form.querySelector("input[type=radio]:checked");
    if (initial) initial.dataset.initial = "1";
  });

  // Moving the start moves the end with it, keeping the event's length.
  const sd = document.getElementById("startDate"), st = document.getElementById("startTime");
  const ed = document.getElementById("endDate"), et = document.getElementById("endTime");
  if (sd && st && ed && et) {
    const at = (d, t) => new Date(d + "T" + (t || "00:00") + ":00Z");
    let start = at(sd.value, st.value);
    const shift = () => {
      const next = at(sd.value, st.value);
      const end = at(ed.value, et.value);
      if (isNaN(next) || isNaN(start) || isNaN(end)) { start = next; return; }
      const moved = new Date(end.getTime() + (next - start));
      ed.value = moved.toISOString().slice(0, 10);
      et.value = moved.toISOString().slice(11, 16);
      start = next;
    };
    sd.addEventListener("change", shift);
    st.addEventListener("change", shift);
  }

  // Colleague search updates its results while typing, by fetching the same page.
  document.querySelectorAll("form[data-live-search]").forEach((form) => {
    const target = document.getElementById(form.dataset.liveSearch);
    const input = form.querySelector("input[type=search]");
    if (!target || !input) return;
    target.setAttribute("aria-live", "polite");
    let timer = 0, seq = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = input.value.trim();
        if (q.length < 2) return;
        const url = new URL(form.action, location.href);
        url.hash = "";
        new FormData(form).forEach((v, k) => url.searchParams.set(k, v));
        const mine = ++seq;
        try {
          const res = await fetch(url, { credentials: "same-origin" });
          if (!res.ok || mine !== seq) return;
          const doc = new DOMParser().parseFromString(await res.text(), "text/html");
          const fresh = doc.getElementById(target.id);
          if (fresh) target.replaceChildren(...fresh.childNodes);
        } catch (e) { /* the Search button still works */ }
      }, 250);
    });
  });

  // Calendar keyboard shortcuts: t today, n / p next and previous, m d w a the views.
  const head = document.querySelector(".cal-head");
  if (head) {
    document.addEventListener("keydown", (ev) => {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const tag = (ev.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || ev.target.isContentEditable) return;
      const pick = {
        t: ".cal-nav a:first-child", n: "a[rel=next]", p: "a[rel=prev]",
        m: ".seg a:nth-child(1)", d: ".seg a:nth-child(2)", w: ".seg a:nth-child(3)", a: ".seg a:nth-child(4)",
      }[ev.key];
      const link = pick && head.querySelector(pick);
      if (link) { ev.preventDefault(); location.href = link.href; }
    });
  }
});

// ---- Everyday features (issue 14): the Undo button after a delete ----
// The server refuses an undo once its time is over (and says so to a browser without
// JavaScript); here the button goes when that time comes, so that nobody clicks it in vain.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-undo-seconds]").forEach((form) => {
    const seconds = Number(form.dataset.undoSeconds);
    if (!(seconds > 0)) return;
    setTimeout(() => {
      const note = document.createElement("span");
      note.className = "muted undo-over";
      note.textContent = " (It can no longer be undone.)";
      form.replaceWith(note);
    }, seconds * 1000);
  });
});
