/* Frontline's map page: control of places over time, events, and the sentence behind each.
 *
 * Everything comes from this server's /api (no CDN, no tiles unless the user picks the online layer).
 * Text from the database is only ever put in the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  const DAY = 86400000;
  const MAX_EVENTS = 1000;  // per request: enough for a map; the list says when there are more
  const MAX_LISTED = 300;   // list rows drawn; the map still shows every fetched event
  const TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2e86c1",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
  };
  // Controllers get colours in order of first sight, so the same run of the page is stable.
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                   "#bcbd22", "#393b79", "#637939", "#843c39"];
  const SIDE_COLOURS = { government: "#d62728", rebels: "#2ca02c", opposition: "#2ca02c" };

  // Events and their clusters sit up and to the right of their point, like a badge on the place's
  // control dot: a place and the events in it share coordinates, and both must stay visible and clickable.
  const EVENT_ANCHOR = [-5, 15];
  const CLUSTER_SIZE = [22, 22];
  const CLUSTER_ANCHOR = [-3, 25];

  const $ = (id) => document.getElementById(id);
  const state = {
    meta: null, first: null, days: 0, date: null, playing: null, loads: 0, seq: 0, changeDays: [],
    colours: new Map(), control: new Map(), markers: new Map(), selected: null,
  };

  // --- small helpers ------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      // Through the CSSOM, which the page's CSP allows, unlike style="" attributes.
      else if (k === "style") node.style.cssText = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  // Leaflet puts a string tooltip in as HTML; names read from articles go in as text.
  const textTip = (text) => el("span", {}, text);
  const iso = (d) => d.toISOString().slice(0, 10);
  const parseDay = (s) => new Date(s + "T00:00:00Z");
  const safeUrl = (u) => (typeof u === "string" && /^https?:\/\//i.test(u) ? u : null);
  const slug = (s) => String(s || "none").toLowerCase().replace(/[^a-z0-9]+/g, "-");

  async function api(path, params) {
    const url = new URL("api/" + path, document.baseURI);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.detail || res.status + " " + res.statusText);
    return body;
  }

  function busy(delta) {
    state.loads += delta;
    document.body.dataset.loading = state.loads > 0 ? "true" : "false";
  }

  function colourFor(name, side) {
    const key = (name || "unknown").toLowerCase();
    if (!state.colours.has(key)) {
      const bySide = side && SIDE_COLOURS[String(side).toLowerCase()];
      const used = new Set(state.colours.values());
      const free = PALETTE.find((c) => !used.has(c));
      state.colours.set(key, bySide && !used.has(bySide) ? bySide : free || PALETTE[state.colours.size % PALETTE.length]);
    }
    return state.colours.get(key);
  }

  // Leaflet makes markers focusable but only opens popups on Enter; ours open the evidence panel.
  function onEnter(marker, action) {
    marker.on("keypress", (ev) => { if (ev.originalEvent.key === "Enter") action(); });
  }

  // --- map ------------------------------------------------------------------------------------------

  // maxZoom must be set on the map itself: the offline basemap has no tile layer to lend one, and
  // the cluster layer needs it.
  const map = L.map("map", { worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 }).setView([30, 20], 3);
  map.createPane("outlines").style.zIndex = 200;

  const outlines = L.layerGroup();
  const online = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18, attribution: "&copy; OpenStreetMap contributors",
  });
  const controlLayer = L.layerGroup();
  const eventLayer = L.markerClusterGroup({
    maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true, spiderfyOnMaxZoom: true,
    // Neutral clusters: the plugin's default green and yellow would read as somebody's control.
    iconCreateFunction: (cluster) => L.divIcon({
      className: "ev-cluster", html: "<span>" + cluster.getChildCount() + "</span>",
      iconSize: CLUSTER_SIZE, iconAnchor: CLUSTER_ANCHOR,
    }),
  });
  outlines.addTo(map);
  eventLayer.addTo(map);
  controlLayer.addTo(map);
  L.control.layers(
    { "Country outlines (offline)": outlines, "OpenStreetMap (online)": online },
    { "Control of places": controlLayer, "Events": eventLayer },
    { collapsed: true },
  ).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  const FitControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const button = L.DomUtil.create("button", "fit-all leaflet-bar");
      button.type = "button";
      button.title = "Show all places and events";
      button.setAttribute("aria-label", button.title);
      button.textContent = "\u2922";
      L.DomEvent.disableClickPropagation(button);
      L.DomEvent.on(button, "click", fitToData);
      return button;
    },
  });
  new FitControl().addTo(map);
  map.attributionControl.addAttribution("Outlines: Natural Earth (public domain)");

  async function loadOutlines() {
    // Natural Earth 1:50m via world-atlas, copied from npm at set-up: the basemap works offline.
    try {
      const res = await fetch("static/vendor/countries-50m.json");
      if (!res.ok) throw new Error(res.status);
      const topo = await res.json();
      const geo = topojson.feature(topo, topo.objects.countries);
      // Canvas, not SVG: 240 detailed outlines as DOM paths make the first paint seconds slower.
      L.geoJSON(geo, {
        renderer: L.canvas({ pane: "outlines" }), interactive: false,
        style: { color: "#a9b2ba", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(outlines);
    } catch (err) {
      console.warn("country outlines unavailable:", err);
    }
  }

  // --- control layer ---------------------------------------------------------------------------------

  function controlIcon(p, changed) {
    return L.divIcon({
      className: "ctl-marker ctl-" + p.status + (changed ? " ctl-changed" : ""),
      html: "", iconSize: [22, 22], iconAnchor: [11, 11],
    });
  }

  function drawControl(collection) {
    const previous = state.control;
    const next = new Map();
    controlLayer.clearLayers();
    for (const f of collection.features) {
      if (!f.geometry) continue;
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const before = previous.get(p.place_id);
      const changed = previous.size > 0 && (!before || before.change_id !== p.change_id);
      const marker = L.marker([lat, lon], { icon: controlIcon(p, changed), keyboard: true,
                                            title: p.name, zIndexOffset: -1000 });
      marker.on("add", () => {
        const node = marker.getElement();
        if (!node) return;
        node.style.setProperty("--c", colourFor(p.controller, p.side));
        node.dataset.placeId = p.place_id;
        node.dataset.controller = p.controller;
        node.dataset.status = p.status;
      });
      const since = p.since ? " since " + p.since : "";
      marker.bindTooltip(textTip(p.name + ": " + p.controller + " (" + p.status + since + ")"));
      marker.on("click", () => showPlace(p.place_id));
      onEnter(marker, () => showPlace(p.place_id));
      marker.addTo(controlLayer);
      next.set(p.place_id, p);
    }
    state.control = next;
    $("map").dataset.controlDate = collection.date;
    $("map").dataset.controlCount = String(next.size);
    drawLegend();
  }

  function drawLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    const shown = new Map();
    for (const p of state.control.values()) shown.set(p.controller, p.side);
    for (const [name, side] of shown) {
      legend.append(el("span", { class: "key" },
        el("span", { class: "swatch", style: "--c:" + colourFor(name, side) }), name));
    }
    legend.append(el("span", { class: "key" }, el("span", { class: "swatch confirmed" }), "confirmed"),
                  el("span", { class: "key" }, el("span", { class: "swatch claimed" }), "claimed"));
  }

  // --- events -----------------------------------------------------------------------------------------

  function eventParams() {
    const end = state.date;
    const windowDays = Number($("f-window").value);
    const start = windowDays > 0 ? iso(new Date(parseDay(end).getTime() - (windowDays - 1) * DAY)) : null;
    return {
      start, end, event_type: $("f-type").value, modality: $("f-modality").value,
      q: $("f-q").value.trim(), limit: MAX_EVENTS,
    };
  }

  function eventLabel(e) {
    return e.sub_event_type || e.event_type || (e.plover_event ? e.plover_event.toLowerCase() : "event");
  }

  function drawEvents(page) {
    eventLayer.clearLayers();
    state.markers.clear();
    const markers = [];
    for (const e of page.items) {
      if (e.lat === null || e.lon === null || e.lat === undefined) continue;
      const marker = L.marker([e.lat, e.lon], {
        icon: L.divIcon({ className: "ev-marker ev-" + slug(e.event_type), iconSize: [10, 10], iconAnchor: EVENT_ANCHOR }),
        title: eventLabel(e),
      });
      marker.on("add", () => {
        const node = marker.getElement();
        if (!node) return;
        node.style.setProperty("--c", TYPE_COLOURS[e.event_type] || "#555");
        node.dataset.eventId = e.id;
        if (state.selected === e.id) node.classList.add("ev-selected");
      });
      marker.bindTooltip(textTip((e.date || "undated") + " · " + eventLabel(e) + (e.location ? " · " + e.location : "")));
      marker.on("click", () => showEvent(e.id));
      onEnter(marker, () => showEvent(e.id));
      markers.push(marker);
      state.markers.set(e.id, marker);
    }
    eventLayer.addLayers(markers);
    $("map").dataset.eventCount = String(markers.length);

    const list = $("event-list");
    list.replaceChildren();
    for (const e of page.items.slice(0, MAX_LISTED)) {
      const item = el("li", { tabindex: 0, "data-event-id": e.id },
        el("span", { class: "dot", style: "--c:" + (TYPE_COLOURS[e.event_type] || "#555") }),
        el("span", { class: "when" }, e.date || "undated"),
        el("span", { class: "type" }, eventLabel(e)),
        e.location ? " · " + e.location : "",
        e.actor1 ? " · " + e.actor1 : "",
        el("span", { class: "sentence" }, e.notes || ""));
      item.addEventListener("click", () => { showEvent(e.id); focusEvent(e.id); });
      item.addEventListener("keydown", (ev) => { if (ev.key === "Enter") item.click(); });
      list.append(item);
    }
    const more = page.total > page.items.length ? " (newest " + page.items.length + " shown)" : "";
    $("event-count").textContent = page.total + more;
  }

  function focusEvent(id) {
    const marker = state.markers.get(id);
    if (marker) eventLayer.zoomToShowLayer(marker, () => marker.openTooltip());
  }

  // --- refresh: the slider, the filters ---------------------------------------------------------------

  async function refresh({ fit = false } = {}) {
    const seq = ++state.seq;
    busy(+1);
    try {
      const [control, events] = await Promise.all([
        api("control", { date: state.date }),
        api("events", eventParams()),
      ]);
      if (seq !== state.seq) return;  // a later move of the slider has already asked again
      drawControl(control);
      drawEvents(events);
      if (fit) fitToData();
    } catch (err) {
      $("event-count").textContent = "— " + err.message;
    } finally {
      busy(-1);
    }
  }

  function fitToData() {
    const points = [];
    controlLayer.eachLayer((m) => points.push(m.getLatLng()));
    eventLayer.eachLayer((m) => points.push(m.getLatLng()));
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 9 });
  }

  let timer = null;
  function scheduleRefresh() {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(), 150);
  }

  function setDay(index) {
    state.date = iso(new Date(state.first.getTime() + index * DAY));
    $("slider").value = String(index);
    $("date-label").textContent = state.date;
  }

  function dayIndex(day) {
    return Math.round((parseDay(day) - state.first) / DAY);
  }

  async function loadChangeDays() {
    // A tick on the slider at every change of control; the replay steps through them.
    try {
      const changes = await api("control/changes");
      const days = new Set();
      for (const c of changes.items) {
        if (!c.date || !c.effective) continue;
        const index = dayIndex(c.date);
        if (index >= 0 && index <= state.days) days.add(index);
      }
      state.changeDays = [...days].sort((a, b) => a - b);
    } catch (err) {
      state.changeDays = [];
      console.warn("control changes unavailable:", err);
    }
    const ticks = $("changes");
    ticks.replaceChildren(...state.changeDays.map((d) => el("option", { value: d })));
  }

  function nextStop(index) {
    if (state.changeDays.length) {
      const next = state.changeDays.find((d) => d > index);
      return next === undefined ? state.days : next;
    }
    // No changes to step through: about 60 steps whatever the span.
    return Math.min(state.days, index + Math.max(1, Math.round(state.days / 60)));
  }

  function togglePlay() {
    const button = $("play");
    if (state.playing) {
      clearTimeout(state.playing);
      state.playing = null;
      button.setAttribute("aria-pressed", "false");
      button.innerHTML = "&#9654;";
      return;
    }
    let index = Number($("slider").value);
    if (index >= state.days) index = state.changeDays.length ? Math.max(0, state.changeDays[0] - 1) : 0;
    button.setAttribute("aria-pressed", "true");
    button.innerHTML = "&#10074;&#10074;";
    setDay(index);
    refresh();
    // A change of control a step, held long enough to see which dot turned.
    const tick = () => {
      index = nextStop(index);
      setDay(index);
      refresh();
      if (index >= state.days) togglePlay();
      else state.playing = setTimeout(tick, state.changeDays.length ? 1000 : 500);
    };
    state.playing = setTimeout(tick, 700);
  }

  // --- evidence -------------------------------------------------------------------------------------

  function openPanel(title) {
    $("list-panel").hidden = true;
    $("evidence").hidden = false;
    $("evidence-title").textContent = title;
    const body = $("evidence-body");
    body.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    return body;
  }

  function closePanel() {
    $("evidence").hidden = true;
    $("list-panel").hidden = false;
    selectEvent(null);
  }

  function selectEvent(id) {
    for (const node of document.querySelectorAll(".ev-marker.ev-selected")) node.classList.remove("ev-selected");
    state.selected = id;
    const marker = id && state.markers.get(id);
    const node = marker && marker.getElement();
    if (node) node.classList.add("ev-selected");
  }

  function facts(pairs) {
    const dl = el("dl", { class: "facts" });
    for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== "") dl.append(el("dt", {}, k), el("dd", {}, v));
    return dl;
  }

  function actorText(name, side) {
    return name ? name + (side ? " (" + side + ")" : "") : null;
  }

  /* The article's text with every extracted span underlined, the evidence sentence shaded and the
   * evidence span itself highlighted. Overlapping spans are cut at every boundary, so each run of text
   * carries all the classes that cover it. */
  function markedText(article, focus) {
    const text = article.text;
    const ranges = article.marks.map((m) => ({ start: m.start, end: m.end, cls: "m-" + m.kind, title: m.label }));
    for (const f of focus) ranges.push(f);
    const cuts = new Set([0, text.length]);
    for (const r of ranges) { cuts.add(r.start); cuts.add(r.end); }
    const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    const box = el("div", { class: "article-text" });
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i], b = points[i + 1];
      const covering = ranges.filter((r) => r.start <= a && r.end >= b);
      const run = text.slice(a, b);
      if (!covering.length) { box.append(run); continue; }
      const classes = [...new Set(covering.map((r) => r.cls))].join(" ");
      const title = covering.map((r) => r.title).filter(Boolean).join(" · ");
      box.append(el("mark", { class: classes, title: title || null }, run));
    }
    return box;
  }

  function sentenceRange(text, sentence, near) {
    if (!sentence) return null;
    // The same sentence may occur twice; take the occurrence nearest the reported span.
    let best = null;
    for (let at = text.indexOf(sentence); at >= 0; at = text.indexOf(sentence, at + 1)) {
      if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
    }
    return best === null ? null : { start: best, end: best + sentence.length };
  }

  async function articleBlock(articleId, evidence) {
    // evidence: [{span: [s, e] | null, sentences: [str]}]
    const holder = el("div", {}, el("p", { class: "muted" }, "Loading the article…"));
    try {
      const article = await api("articles/" + encodeURIComponent(articleId));
      const focus = [];
      for (const ev of evidence) {
        const near = ev.span ? ev.span[0] : 0;
        for (const s of ev.sentences) {
          const r = sentenceRange(article.text, s, near);
          if (r) focus.push({ ...r, cls: "evidence-sentence", title: "evidence sentence" });
        }
        if (ev.span && ev.span[1] <= article.text.length) {
          focus.push({ start: ev.span[0], end: ev.span[1], cls: "evidence", title: "evidence" });
        }
      }
      const box = markedText(article, focus);
      holder.replaceChildren(box);
      const target = box.querySelector(".evidence") || box.querySelector(".evidence-sentence");
      if (target) requestAnimationFrame(() => { box.scrollTop = Math.max(0, target.offsetTop - box.offsetTop - 40); });
    } catch (err) {
      holder.replaceChildren(el("p", { class: "muted" }, "Article unavailable: " + err.message));
    }
    return holder;
  }

  function sourceHeader(s) {
    const url = safeUrl(s.url);
    const title = s.title || s.url || s.article_id;
    return el("div", {},
      el("h3", {}, url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : title),
      el("div", { class: "meta" }, [s.source, s.published].filter(Boolean).join(" · ")));
  }

  async function showEvent(id) {
    selectEvent(id);
    const body = openPanel("Event");
    busy(+1);
    try {
      const e = await api("events/" + encodeURIComponent(id));
      $("evidence-title").textContent = eventLabel(e) + (e.location ? " — " + e.location : "");
      body.replaceChildren(facts([
        ["Date", e.date ? e.date + (e.time_precision > 1 ? " (±" + (e.time_precision === 2 ? "week" : "month") + ")" : "") : "undated"],
        ["Type", [e.event_type, e.sub_event_type].filter(Boolean).join(" › ") || null],
        ["PLOVER", e.plover_event ? e.plover_event + (e.plover_mode ? " / " + e.plover_mode : "") : null],
        ["Modality", e.modality],
        ["Where", e.location ? [e.location, e.admin1, e.country_code].filter(Boolean).join(", ") : null],
        ["Actor", actorText(e.actor1, e.actor1_side)],
        ["On", actorText(e.actor2, e.actor2_side)],
        ["Fatalities", e.fatalities],
        ["Reports", e.n_reports + " in " + e.n_articles + " article(s)"],
      ]));
      const blocks = await Promise.all(e.sources.map(async (s) => el("section", { class: "source", "data-article-id": s.article_id },
        sourceHeader(s),
        el("div", { class: "meta" }, s.modality + (s.date_text ? " · “" + s.date_text + "”" : "")),
        await articleBlock(s.article_id, [{ span: s.span, sentences: [s.sentence] }]))));
      body.append(...blocks);
      document.body.dataset.evidence = id;
    } catch (err) {
      body.replaceChildren(el("p", {}, "Could not load this event: " + err.message));
    } finally {
      busy(-1);
    }
  }

  async function showPlace(placeId) {
    selectEvent(null);
    const body = openPanel("Place");
    busy(+1);
    try {
      const d = await api("places/" + encodeURIComponent(placeId));
      const p = d.place;
      $("evidence-title").textContent = p.name;
      body.replaceChildren(facts([
        ["Where", [p.admin1, p.country_code].filter(Boolean).join(", ")],
        ["Events", p.n_events],
        ["Changes", p.n_control_changes],
        ["GeoNames", p.geonameid],
      ]));
      const history = el("ol", { class: "history" });
      for (const c of d.control) {
        const item = el("li", { style: "--c:" + colourFor(c.to_actor, c.to_side) },
          el("div", {}, el("strong", {}, c.date || "undated"), " ",
             el("span", { class: "badge " + c.status }, c.status), " ",
             (c.from_actor ? c.from_actor + " → " : "→ ") + c.to_actor,
             el("span", { class: "muted" }, " · " + c.n_reports + " report(s)")));
        for (const ev of c.evidence) {
          const show = el("button", { type: "button", class: "link" }, "show in article");
          const slot = el("div");
          show.addEventListener("click", async () => {
            show.disabled = true;
            slot.replaceChildren(await articleBlock(ev.article_id, [{ span: null, sentences: ev.sentences }]));
          });
          item.append(el("div", { class: "source" }, sourceHeader(ev),
            el("div", { class: "meta" }, el("span", { class: "badge " + ev.status }, ev.status),
               ev.date ? " " + ev.date : ""),
            ev.sentences.length ? el("ul", { class: "sentences" }, ev.sentences.map((s) => el("li", {}, s))) : null,
            show, slot));
        }
        history.append(item);
      }
      body.append(el("h3", {}, "Control history"), d.control.length ? history : el("p", { class: "muted" }, "No changes of control recorded."));
      document.body.dataset.evidence = placeId;
    } catch (err) {
      body.replaceChildren(el("p", {}, "Could not load this place: " + err.message));
    } finally {
      busy(-1);
    }
  }

  // --- start ----------------------------------------------------------------------------------------

  async function start() {
    busy(+1);
    try {
      // The outlines take a moment to parse; the data is fetched meanwhile.
      const outlinesDrawn = loadOutlines();
      const meta = await api("meta");
      state.meta = meta;
      const s = meta.stats;
      $("stats").textContent = s.events + " events · " + s.places + " places · " + s.articles + " articles";
      for (const type of Object.keys(meta.vocabularies.event_types)) $("f-type").append(el("option", { value: type }, type));
      for (const m of meta.vocabularies.modalities) $("f-modality").append(el("option", { value: m }, m));

      const end = meta.period.end || s.last_event_date;
      const begin = meta.period.start || s.first_event_date;
      const last = end ? parseDay(end) : parseDay(iso(new Date()));
      const first = begin ? parseDay(begin) : last;
      state.first = first;
      state.days = Math.max(0, Math.round((last - first) / DAY));
      $("slider").max = String(state.days);
      setDay(state.days);
      const ticked = loadChangeDays();

      $("slider").addEventListener("input", () => { setDay(Number($("slider").value)); scheduleRefresh(); });
      $("play").addEventListener("click", togglePlay);
      $("evidence-back").addEventListener("click", closePanel);
      $("filters").addEventListener("change", scheduleRefresh);
      $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); scheduleRefresh(); });
      $("f-q").addEventListener("input", scheduleRefresh);
      await refresh({ fit: true });
      await Promise.all([outlinesDrawn, ticked]);
    } catch (err) {
      $("stats").textContent = "Could not reach the API: " + err.message;
    } finally {
      busy(-1);
    }
  }

  window.frontline = { state, map, refresh, showEvent, showPlace };
  start();
})();
