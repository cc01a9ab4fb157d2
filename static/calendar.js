// My Calendar views: the quick card, quick create, and moving instances by dragging or with
// the keyboard. Every link still works without this script: an instance opens its details
// page, an empty day or hour the new-event form, and the edit form moves an event.
"use strict";

(() => {
  const csrf = document.querySelector("meta[name=csrf-token]")?.content || "";
  const back = location.pathname + location.search;
  // An instance's link is its details page, /events/ID?instance=ORIGINAL_START: the event and
  // the instance are read from it.
  const instanceLink = (el) => {
    const a = el.closest("a.ev[href^='/events/'], a.agenda-item[href^='/events/']");
    return a && /^\/events\/\d+$/.test(new URL(a.href).pathname) && new URL(a.href).searchParams.get("instance") ? a : null;
  };
  const eventOf = (a) => new URL(a.href).pathname.split("/")[2];
  const instanceOf = (a) => new URL(a.href).searchParams.get("instance");

  // The card: one dialog at a time, placed by what opened it, closed by Escape, a click
  // outside or the close button, giving focus back to what opened it.
  let card = null, opener = null;
  const closeCard = (giveBack = true) => {
    if (!card) return;
    // A move not made puts its instance back.
    document.querySelectorAll(".drag-ghost").forEach((el) => {
      el.classList.remove("drag-ghost");
      el.style.transform = el.style.height = "";
    });
    card.remove();
    card = null;
    if (giveBack && opener && document.contains(opener)) opener.focus();
    opener = null;
  };
  const showCard = (anchor, html, focusSel) => {
    closeCard();
    card = document.createElement("div");
    card.className = "qcard";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-labelledby", "qcard-title");
    card.tabIndex = -1;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "×";
    close.addEventListener("click", () => closeCard());
    // The card's HTML comes from this site's own templates, which escape every value.
    const doc = new DOMParser().parseFromString(html, "text/html");
    card.append(close, ...doc.body.childNodes);
    document.body.append(card);
    const r = anchor.getBoundingClientRect();
    const w = card.offsetWidth, h = card.offsetHeight;
    let left = Math.min(Math.max(8, r.left), window.innerWidth - w - 8);
    let top = r.bottom + 6;
    if (top + h > window.innerHeight - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
    card.style.left = left + window.scrollX + "px";
    card.style.top = Math.max(8, top) + window.scrollY + "px";
    opener = anchor;
    // Tab out of the card (not into it, not to a click outside) closes it where the focus went.
    card.addEventListener("focusout", (ev) => {
      if (card && ev.relatedTarget && !card.contains(ev.relatedTarget)) closeCard(false);
    });
    const first = focusSel && card.querySelector(focusSel);
    (first || card).focus();
  };
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && card) { ev.preventDefault(); closeCard(); }
  });
  document.addEventListener("pointerdown", (ev) => {
    if (card && !card.contains(ev.target) && !(opener && opener.contains(ev.target))) closeCard();
  });

  const fetchCard = async (url, anchor, focusSel, fallback) => {
    try {
      const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!res.ok) throw new Error(String(res.status));
      showCard(anchor, await res.text(), focusSel);
    } catch (e) {
      location.href = fallback;
    }
  };
  const openInstance = (link) => {
    const url = "/events/" + eventOf(link) + "/card?" + new URLSearchParams({ instance: instanceOf(link), back });
    // The card itself takes the focus, not its first control: Enter twice must not delete.
    fetchCard(url, link, null, link.href);
  };
  // A space's calendar says which it is: its new events go into it.
  const calendarId = document.querySelector("[data-calendar-id]")?.dataset.calendarId;
  const openNew = (anchor, params, fallback) => {
    const target = calendarId ? { calendarId } : {};
    fetchCard("/events/new/card?" + new URLSearchParams({ ...params, ...target, back }), anchor, "input[name=title]", fallback);
  };
  const plain = (ev) => ev.button === 0 && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey && !ev.altKey;

  // "More options" takes the title typed so far to the full form.
  document.addEventListener("click", (ev) => {
    const more = ev.target.closest(".qcard-new a.btn");
    if (!more) return;
    const title = card && card.querySelector("input[name=title]");
    if (title && title.value) {
      const u = new URL(more.href, location.href);
      u.searchParams.set("title", title.value);
      more.href = u.pathname + u.search;
    }
  });

  // Moving: a drag in the week or day view (to another time or day; its lower edge resizes),
  // a drag to another day in the month, or Alt+arrow keys on an instance (15 minutes up or
  // down, a day left or right). A repeating event asks which dates first.
  const scopeHTML = (title) => `<div class="qcard-body"><h2 id="qcard-title"></h2>
    <form class="qcard-move"><fieldset><legend>Move which dates?</legend>
    <label class="choice"><input type="radio" name="scope" value="instance"> This instance</label>
    <label class="choice"><input type="radio" name="scope" value="following" checked> This and following</label>
    <label class="choice"><input type="radio" name="scope" value="all"> All instances</label></fieldset>
    <div class="actions"><button type="submit" class="btn primary">Move</button>
    <button type="button" class="btn cancel">Cancel</button></div></form></div>`;
  const errorHTML = () => `<div class="qcard-body"><h2 id="qcard-title">Not moved</h2><p class="error" role="alert"></p></div>`;
  const send = async (link, shift, scope) => {
    const body = new URLSearchParams({
      csrf_token: csrf, instance: instanceOf(link), back,
      days: shift.days || 0, minutes: shift.minutes || 0, endMinutes: shift.endMinutes ?? (shift.minutes || 0),
    });
    if (scope) body.set("scope", scope);
    const res = await fetch("/events/" + eventOf(link) + "/move", {
      method: "POST", credentials: "same-origin", redirect: "manual", body,
      headers: { "X-CSRF-Token": csrf },
    });
    if (res.type === "opaqueredirect" || res.ok) { location.assign(back); return; }
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const msg = doc.querySelector("main h1 + p")?.textContent || "The event could not be moved (" + res.status + ").";
    showCard(link, errorHTML());
    card.querySelector(".error").textContent = msg;
  };
  const move = (link, shift) => {
    if (!shift.days && !shift.minutes && !shift.endMinutes) return;
    if (!("recurring" in link.dataset)) { send(link, shift, ""); return; }
    showCard(link, scopeHTML(), "input[name=scope]:checked");
    card.querySelector("#qcard-title").textContent = "Move “" + link.querySelector(".n")?.textContent.trim() + "”";
    card.querySelector(".cancel").addEventListener("click", closeCard);
    card.querySelector("form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      send(link, shift, new FormData(ev.target).get("scope"));
    });
  };

  const hourHeight = (col) => col.querySelector(".slot")?.getBoundingClientRect().height || 48;
  const snap = (minutes) => Math.round(minutes / 15) * 15;
  const cols = () => [...document.querySelectorAll(".week-col")];
  const colAt = (x) => cols().find((c) => { const r = c.getBoundingClientRect(); return x >= r.left && x < r.right; });
  const dayAt = (x, y) => document.elementsFromPoint(x, y).map((el) => el.closest(".day[data-date]")).find(Boolean);
  const daysFrom = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

  // The browser's own dragging of links would take over the pointer.
  document.addEventListener("dragstart", (ev) => {
    if (drag || instanceLink(ev.target) || ev.target.closest(".slot, .day-add")) ev.preventDefault();
  });
  let drag = null, dragged = false;
  document.addEventListener("pointerdown", (ev) => {
    if (!plain(ev)) return;
    const link = instanceLink(ev.target);
    if (link && "movable" in link.dataset && link.closest(".week-col, .month")) {
      drag = { link, x: ev.clientX, y: ev.clientY, resize: !!ev.target.closest(".resize"),
        col: link.closest(".week-col"), moved: false, shift: {},
        // A bar of the month lies over its days: the day under the pointer is where it is held.
        day: link.closest(".day") || (link.closest(".month") && dayAt(ev.clientX, ev.clientY)) };
      return;
    }
    const slot = ev.target.closest(".week-col .slot");
    if (slot) {
      const col = slot.closest(".week-col"), r = col.getBoundingClientRect();
      const first = parseInt(document.querySelector(".week")?.dataset.firstHour || "0", 10);
      const at = Math.floor(((ev.clientY - r.top) / hourHeight(col)) * 4) * 15 + first * 60;
      drag = { slot, col, y: ev.clientY, x: ev.clientX, from: at, to: at + 60, moved: false, create: true };
    }
  });
  document.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 5) return;
    drag.moved = true;
    ev.preventDefault();
    if (drag.create) {
      const r = drag.col.getBoundingClientRect(), hh = hourHeight(drag.col);
      const first = parseInt(document.querySelector(".week").dataset.firstHour || "0", 10);
      const at = snap(((ev.clientY - r.top) / hh) * 60) + first * 60;
      const clampDay = (m) => Math.min(Math.max(m, 0), 1440);
      const start = clampDay(Math.min(drag.from, at)), end = clampDay(Math.max(drag.from + 15, at));
      drag.to = Math.min(Math.max(end, start + 15), 1440);
      if (drag.to - start < 15) return;
      drag.start = start;
      let box = drag.box;
      if (!box) { box = drag.box = document.createElement("div"); box.className = "drag-new"; drag.col.append(box); }
      box.style.top = ((start - first * 60) / 60) * hh + "px";
      box.style.height = ((drag.to - start) / 60) * hh + "px";
      box.textContent = clock(start) + " – " + clock(drag.to);
      return;
    }
    const { link } = drag;
    link.classList.add("drag-ghost");
    if (drag.col) {
      const hh = hourHeight(drag.col);
      const minutes = snap((dy / hh) * 60);
      if (drag.resize) {
        drag.shift = { endMinutes: minutes, minutes: 0 };
        link.style.height = `calc(var(--len) * var(--hour-h) - 2px + ${(minutes / 60) * hh}px)`;
      } else {
        const target = colAt(ev.clientX) || drag.col;
        const all = cols();
        const days = all.indexOf(target) - all.indexOf(drag.col);
        drag.shift = { days, minutes, endMinutes: minutes };
        const tr = target.getBoundingClientRect(), sr = drag.col.getBoundingClientRect();
        link.style.transform = `translate(${tr.left - sr.left}px, ${(minutes / 60) * hh}px)`;
      }
    } else if (drag.day) {
      const target = dayAt(ev.clientX, ev.clientY);
      document.querySelectorAll(".day.drop").forEach((d) => d.classList.remove("drop"));
      if (target) target.classList.add("drop");
      drag.shift = { days: target ? daysFrom(drag.day.dataset.date, target.dataset.date) : 0 };
      link.style.transform = `translate(${dx}px, ${dy}px)`;
    }
  });
  const clock = (m) => String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  document.addEventListener("pointerup", (ev) => {
    const d = drag;
    drag = null;
    if (!d || !d.moved) return;
    dragged = true;
    setTimeout(() => { dragged = false; }, 0);
    document.querySelectorAll(".day.drop").forEach((x) => x.classList.remove("drop"));
    if (d.create) {
      const date = d.col.dataset.date;
      const params = { date, time: clock(d.start), end: d.to >= 1440 ? "24:00" : clock(d.to) };
      openNew(d.box, params, "/events/new?" + new URLSearchParams(calendarId ? { ...params, calendarId } : params));
      const box = d.box;
      const observer = setInterval(() => { if (!card) { box.remove(); clearInterval(observer); } }, 250);
      return;
    }
    move(d.link, d.shift);
  });

  // A click (not the end of a drag) opens the quick card or quick create.
  document.addEventListener("click", (ev) => {
    if (dragged) { ev.preventDefault(); return; }
    if (!plain(ev) || ev.target.closest(".qcard")) return;
    const link = instanceLink(ev.target);
    if (link && link.closest(".month, .week-scroll, .agenda")) {
      ev.preventDefault();
      openInstance(link);
      return;
    }
    const slot = ev.target.closest(".week-col .slot");
    if (slot) {
      ev.preventDefault();
      const [date, time] = slot.dataset.start.split("T");
      openNew(slot, { date, time }, slot.href);
      return;
    }
    const add = ev.target.closest(".month .day-add");
    if (add) {
      ev.preventDefault();
      openNew(add.closest(".day"), { date: add.closest(".day").dataset.date, allDay: "1" }, add.href);
    }
  });

  // Alt+arrows move the focused instance: up and down by 15 minutes, left and right by a day.
  document.addEventListener("keydown", (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const link = document.activeElement && instanceLink(document.activeElement);
    if (!link || !("movable" in link.dataset) || !link.closest(".week-col, .month, .allday-bars")) return;
    const timed = !!link.closest(".week-col");
    const shift = { ArrowUp: { minutes: -15 }, ArrowDown: { minutes: 15 }, ArrowLeft: { days: -1 }, ArrowRight: { days: 1 } }[ev.key];
    if (!shift || (!timed && shift.minutes)) return;
    ev.preventDefault();
    move(link, shift);
  });
})();
