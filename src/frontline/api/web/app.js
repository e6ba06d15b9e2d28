/* Frontline's map page: control of places over time, events, and the sentence behind each.
 *
 * Everything comes from this server: /api for the data, static/vendor for the libraries and the
 * reference layer (Natural Earth outlines and first-level boundaries, built at set-up). No tiles unless
 * the user picks the online layer. Text from the database is only ever put in the page as text, never
 * as HTML.
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
  const NO_TYPE = "#555";
  const MODALITIES_SHOWN = ["asserted", "claimed"];  // what happened, or a party says happened
  const ADMIN1_ZOOM = 5;   // first-level boundaries from this zoom on
  const READ_ZOOM = 10;    // a list click zooms to about a town's scale, not a street's
  const TOKEN_KEY = "frontline.token";

  // Sides, in the legend's order. Each has its own hues, so that who is who reads from the colour's
  // family before the legend is read; within a view no colour is given twice.
  const SIDES = [
    { key: "government", label: "Government forces", colours: ["#c62828", "#8e1b10", "#ef7b6c", "#d81b60", "#b85c38"] },
    { key: "foreign", label: "Foreign forces", colours: ["#1f5fbf", "#6fa8e8", "#1a237e", "#4a90a4"] },
    { key: "rebels", label: "Rebels and opposition", colours: ["#2e7d32", "#8bc34a", "#1b5e20", "#00a087"] },
    { key: "separatists", label: "Separatists", colours: ["#7b3fa0", "#c39bd3", "#4a148c"] },
    { key: "jihadists", label: "Jihadist groups", colours: ["#222222", "#6d6d6d", "#4e342e"] },
    { key: "militia", label: "Militias", colours: ["#ef8f00", "#a65e00", "#f4c542"] },
    { key: "international", label: "International", colours: ["#00838f", "#80cbc4"] },
    { key: "civilians", label: "Civilians and protesters", colours: ["#c2185b", "#f48fb1"] },
    { key: "other", label: "Side not known", colours: ["#8d6e63", "#9e9d24", "#607d8b", "#795548"] },
  ];
  const SIDE_OF = [
    [/foreign/, "foreign"],
    [/government|state|army|military|regime|police|security forces|loyalist/, "government"],
    [/separatist/, "separatists"],
    [/jihad|islamic state|al-qaeda/, "jihadists"],
    [/militia|gang|paramilitar|mercenar/, "militia"],
    [/rebel|opposition|insurgent|resistance|guerrilla/, "rebels"],
    [/international|united nations|peacekeep/, "international"],
    [/civilian|protester|rioter/, "civilians"],
  ];

  const $ = (id) => document.getElementById(id);
  const state = {
    meta: null, first: null, days: 0, date: null, playing: null, loads: 0, seq: 0, changeDays: [],
    colours: new Map(),   // actor key -> colour, remembered so a holder keeps its colour while it can
    names: new Map(),     // actor key -> the name shown (the first spelling seen)
    actors: new Map(),    // actor key -> {side, country_code}, from /api/actors
    control: new Map(), markers: new Map(), events: [], selected: null, openPlace: null,
    token: sessionStorage.getItem(TOKEN_KEY), started: false,
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
  const isDay = (s) => typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(parseDay(s));
  const safeUrl = (u) => (typeof u === "string" && /^https?:\/\//i.test(u) ? u : null);
  const slug = (s) => String(s || "none").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const typeColour = (t) => TYPE_COLOURS[t] || NO_TYPE;

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, params) {
    const url = new URL("api/" + path, document.baseURI);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const headers = { Accept: "application/json" };
    // The token travels in a header only: URLs end up in logs, histories and shared links.
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const res = await fetch(url, { headers });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) askToken(body.detail || "This server needs its access token.");
    if (!res.ok) throw new HttpError(res.status, body.detail || res.status + " " + res.statusText);
    return body;
  }

  function busy(delta) {
    state.loads += delta;
    document.body.dataset.loading = state.loads > 0 ? "true" : "false";
  }

  // Leaflet makes markers focusable but only opens popups on Enter; ours open the evidence panel.
  function onEnter(marker, action) {
    marker.on("keypress", (ev) => { if (ev.originalEvent.key === "Enter") action(); });
  }

  // --- actors: one key per actor, a side, a colour ----------------------------------------------------

  // "The Syrian Arab Army", "Syrian Arab army" and "Syrian Arab Army" are one actor.
  function actorKey(name) {
    return String(name || "unknown").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/^the\s+/, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function actorName(name) {
    const key = actorKey(name);
    if (!state.names.has(key)) state.names.set(key, name || "unknown");
    return state.names.get(key);
  }

  // The side group of an actor holding a place: a state's forces outside their own country are foreign.
  function sideGroup(name, side, placeCountry) {
    const known = state.actors.get(actorKey(name)) || {};
    const text = String(side || known.side || "").toLowerCase().trim();
    // A side outside the usual families ("Russia", "Kurdish forces") is a group of its own, named as given.
    let group = text ? "side:" + text : "other";
    for (const [re, g] of SIDE_OF) if (re.test(text)) { group = g; break; }
    const home = known.country_code;
    if (group === "government" && home && placeCountry && home.toUpperCase() !== placeCountry.toUpperCase()) {
      group = "foreign";
    }
    return group;
  }

  const SIDE_BY_KEY = new Map(SIDES.map((s) => [s.key, s]));
  const ALL_COLOURS = SIDES.flatMap((s) => s.colours);
  const OTHER_COLOURS = SIDE_BY_KEY.get("other").colours;

  function sideInfo(group) {
    if (SIDE_BY_KEY.has(group)) return SIDE_BY_KEY.get(group);
    const name = group.slice("side:".length);
    return { key: group, label: name.charAt(0).toUpperCase() + name.slice(1), colours: OTHER_COLOURS };
  }

  /* Colours for the holders in view: each keeps the colour it had if no one else in view has it, else
   * takes the first free colour of its side, else any free colour of the palette, else a new hue. */
  function assignColours(holders) {
    const used = new Set();
    const want = [];
    for (const h of holders) {
      const had = state.colours.get(h.key);
      if (had && !used.has(had)) used.add(had);
      else want.push(h);
    }
    for (const h of want) {
      const own = sideInfo(h.group).colours.find((c) => !used.has(c));
      let colour = own || ALL_COLOURS.find((c) => !used.has(c));
      for (let i = 0; !colour; i++) {
        const hue = Math.round((used.size * 137.508 + i * 29) % 360);
        const c = "hsl(" + hue + " 55% 42%)";
        if (!used.has(c)) colour = c;
      }
      used.add(colour);
      state.colours.set(h.key, colour);
    }
  }

  function colourFor(name) {
    return state.colours.get(actorKey(name)) || "#888";
  }

  async function loadActors() {
    try {
      const page = await api("actors", { limit: 1000 });
      for (const a of page.items) state.actors.set(actorKey(a.name), { side: a.side, country_code: a.country_code });
    } catch (err) {
      console.warn("actors unavailable:", err);
    }
  }

  // --- map ------------------------------------------------------------------------------------------

  // maxZoom must be set on the map itself: the offline basemap has no tile layer to lend one, and
  // the cluster layer needs it.
  const map = L.map("map", { worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 }).setView([30, 20], 3);
  map.createPane("outlines").style.zIndex = 200;
  map.createPane("admin1").style.zIndex = 210;
  const labelPane = map.createPane("labels");
  labelPane.style.zIndex = 450;  // above the outlines, below every marker
  labelPane.style.pointerEvents = "none";

  const outlines = L.layerGroup();
  const admin1Layer = L.layerGroup();
  const online = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18, attribution: "&copy; OpenStreetMap contributors",
  });
  const labelLayer = L.layerGroup();
  const controlLayer = L.layerGroup();
  const areaLayer = L.layerGroup();
  const eventLayer = L.markerClusterGroup({
    maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true, spiderfyOnMaxZoom: true,
    // Neutral clusters: the plugin's default green and yellow would read as somebody's control.
    iconCreateFunction: (cluster) => L.divIcon({
      className: "ev-cluster", html: "<span>" + cluster.getChildCount() + "</span>",
      iconSize: [22, 22], iconAnchor: [-3, 25],
    }),
  });
  outlines.addTo(map);
  admin1Layer.addTo(map);
  labelLayer.addTo(map);
  areaLayer.addTo(map);
  eventLayer.addTo(map);
  controlLayer.addTo(map);
  L.control.layers(
    { "Outlines and towns (offline)": outlines, "OpenStreetMap (online)": online },
    { "Provinces": admin1Layer, "Labels": labelLayer, "Control of places": controlLayer,
      "Events": eventLayer, "Region-wide events": areaLayer },
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
      L.DomEvent.on(button, "click", () => fitToData());
      return button;
    },
  });
  new FitControl().addTo(map);
  map.attributionControl.addAttribution("Outlines and provinces: Natural Earth (public domain); towns: GeoNames");

  // --- the reference layer: outlines, provinces, labels -------------------------------------------------

  /* Rings that cross the antimeridian jump from +180 to -180 between two points, which Leaflet draws as
   * a band across the world. Unwrapping makes each ring continuous (Chukotka at 190°E), and a polygon
   * that ends up wholly beyond ±180 is moved back by 360°. */
  function unwrapRing(ring) {
    const out = [ring[0].slice()];
    let shift = 0;
    for (let i = 1; i < ring.length; i++) {
      const d = ring[i][0] - ring[i - 1][0];
      if (d > 180) shift -= 360;
      else if (d < -180) shift += 360;
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    return out;
  }

  function unwrapPolygon(rings) {
    const unwrapped = rings.map(unwrapRing);
    const mean = (r) => r.reduce((s, p) => s + p[0], 0) / r.length;
    const centre = mean(unwrapped[0]);
    const back = centre > 180 ? -360 : centre < -180 ? 360 : 0;
    return unwrapped.map((r) => {
      // A hole keeps to its polygon's side of the antimeridian.
      const m = mean(r);
      const off = back + (m - centre > 180 ? -360 : centre - m > 180 ? 360 : 0);
      return off ? r.map(([x, y]) => [x + off, y]) : r;
    });
  }

  function antimeridianSafe(geo) {
    for (const f of geo.features) {
      const g = f.geometry;
      if (!g) continue;
      if (g.type === "Polygon") g.coordinates = unwrapPolygon(g.coordinates);
      else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map(unwrapPolygon);
    }
    return geo;
  }

  async function loadOutlines() {
    // Natural Earth 1:50m via world-atlas, copied from npm at set-up: the basemap works offline.
    try {
      const res = await fetch("static/vendor/countries-50m.json");
      if (!res.ok) throw new Error(res.status);
      const topo = await res.json();
      const geo = topojson.feature(topo, topo.objects.countries);
      // Antarctica's ring runs along the antimeridian to the pole; it has no front line to show.
      geo.features = geo.features.filter((f) => f.id !== "010");
      // Canvas, not SVG: 240 detailed outlines as DOM paths make the first paint seconds slower.
      L.geoJSON(antimeridianSafe(geo), {
        renderer: L.canvas({ pane: "outlines" }), interactive: false,
        style: { color: "#8f99a3", weight: 0.9, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(outlines);
      $("map").dataset.outlines = "drawn";
    } catch (err) {
      console.warn("country outlines unavailable:", err);
    }
  }

  // First-level boundaries: one small file per country, fetched when the view is close enough.
  const admin1 = { index: null, loaded: new Map(), renderer: L.canvas({ pane: "admin1" }) };

  async function loadAdmin1() {
    busy(+1);
    try {
      await readAdmin1();
    } finally {
      busy(-1);
    }
  }

  async function readAdmin1() {
    if (map.getZoom() < ADMIN1_ZOOM) {
      if (map.hasLayer(admin1Layer)) $("map").dataset.admin1 = "";
      for (const layer of admin1.loaded.values()) if (layer) admin1Layer.removeLayer(layer);
      return;
    }
    try {
      // One request for the index however many moves ask for it at once.
      admin1.index = admin1.index || fetch("static/vendor/admin1/index.json").then((res) => {
        if (!res.ok) throw new Error(res.status);
        return res.json();
      });
      const index = await admin1.index;
      const view = map.getBounds();
      const wanted = Object.entries(index).filter(([, b]) =>
        view.intersects(L.latLngBounds([b[1], b[0]], [b[3], b[2]]))).map(([code]) => code);
      await Promise.all(wanted.map(async (code) => {
        if (admin1.loaded.has(code)) {
          const layer = admin1.loaded.get(code);
          if (layer && !admin1Layer.hasLayer(layer)) admin1Layer.addLayer(layer);
          return;
        }
        admin1.loaded.set(code, null);
        const res = await fetch("static/vendor/admin1/" + code + ".json");
        if (!res.ok) return;
        const topo = await res.json();
        const geo = antimeridianSafe(topojson.feature(topo, topo.objects.admin1));
        const layer = L.geoJSON(geo, {
          renderer: admin1.renderer, interactive: false,
          style: { color: "#9aa5ae", weight: 0.7, dashArray: "3 3", fill: false },
        });
        admin1.loaded.set(code, layer);
        admin1Layer.addLayer(layer);
      }));
      $("map").dataset.admin1 = [...admin1.loaded.entries()].filter(([, l]) => l && admin1Layer.hasLayer(l))
        .map(([c]) => c).sort().join(",");
    } catch (err) {
      admin1.index = null;  // asked again at the next move
      console.warn("first-level boundaries unavailable:", err);
    }
  }

  /* Labels: every controlled place, then the places events happened in, then the most populous towns
   * in view; a label that would overlap one already placed is left out, so the map stays legible at
   * every zoom and the places the data is about win over the towns around them. */
  const measure = document.createElement("canvas").getContext("2d");
  let townsSeq = 0;
  let towns = [];

  function viewBox() {
    const b = map.getBounds();
    const south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    if (b.getEast() - b.getWest() >= 360) return [-180, south, 180, north];
    const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
    return [wrap(b.getWest()), south, wrap(b.getEast()), north];
  }

  async function loadTowns() {
    busy(+1);
    try {
      await readTowns();
    } finally {
      busy(-1);
    }
  }

  async function readTowns() {
    const seq = ++townsSeq;
    const size = map.getSize();
    const limit = Math.max(20, Math.min(200, Math.round((size.x * size.y) / 5000)));
    try {
      const box = viewBox().map((v) => v.toFixed(3)).join(",");
      const body = await api("towns", { bbox: box, limit });
      if (seq !== townsSeq) return;
      towns = body.items;
      $("map").dataset.towns = body.available ? String(towns.length) : "unavailable";
    } catch (err) {
      if (seq === townsSeq) towns = [];
      console.warn("towns unavailable:", err);
    }
    drawLabels();
  }

  function drawLabels() {
    labelLayer.clearLayers();
    const size = map.getSize();
    // The map's own controls (zoom, layers, legend) are obstacles: a label under them is no label.
    const frame = map.getContainer().getBoundingClientRect();
    const placed = [...map.getContainer().querySelectorAll(".leaflet-control")].map((c) => {
      const r = c.getBoundingClientRect();
      return { x1: r.left - frame.left, y1: r.top - frame.top, x2: r.right - frame.left, y2: r.bottom - frame.top };
    });
    const seen = new Set();
    let shown = 0;
    // Wholly inside the map: a name cut at the edge reads as another name ("Mos" for Mosul).
    const fits = (box) => box.x1 >= 0 && box.y1 >= 0 && box.x2 <= size.x && box.y2 <= size.y &&
      !placed.some((o) => box.x1 < o.x2 && box.x2 > o.x1 && box.y1 < o.y2 && box.y2 > o.y1);

    function add(name, lat, lon, kind, dot, key) {
      if (!name || lat === null || lat === undefined || lon === null || lon === undefined) return;
      const id = key || name.toLowerCase();
      if (seen.has(id)) return;
      const p = map.latLngToContainerPoint([lat, lon]);
      measure.font = (kind === "town" ? "12px" : "600 13px") + " system-ui, sans-serif";
      const w = measure.measureText(name).width + 6;
      const dx = dot;  // the text starts right of the place's symbol
      const box = { x1: p.x + dx - 2, y1: p.y - 9, x2: p.x + dx + w, y2: p.y + 9 };
      if (!fits(box)) return;
      placed.push(box);
      seen.add(id);
      seen.add(name.toLowerCase());
      const html = el("span", { class: "lbl-text" }, name);
      L.marker([lat, lon], {
        icon: L.divIcon({ className: "lbl lbl-" + kind, html, iconSize: [0, 0], iconAnchor: [-dx, 9] }),
        interactive: false, keyboard: false, pane: "labels",
      }).addTo(labelLayer);
      if (kind === "town") {
        L.circleMarker([lat, lon], { radius: 2.2, weight: 1, color: "#5b6670", fillColor: "#fff", fillOpacity: 1,
                                     interactive: false, pane: "labels" }).addTo(labelLayer);
      }
      shown++;
    }

    for (const p of state.control.values()) {
      if (p.lat !== null) add(p.name, p.lat, p.lon, "held", 13, p.geonameid ? "gn" + p.geonameid : null);
    }
    for (const e of state.events) {
      if (e.lat !== null && e.lat !== undefined && pinKind(e) === "town") {
        add(e.location, e.lat, e.lon, "place", 9, e.geonameid ? "gn" + e.geonameid : null);
      }
    }
    for (const t of towns) add(t.name, t.lat, t.lon, "town", 5, "gn" + t.geonameid);
    $("map").dataset.labels = String(shown);
  }

  let moveTimer = null;
  map.on("moveend", () => {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => { loadTowns(); loadAdmin1(); drawLegend(); writeUrl(); }, 120);
  });

  // --- control layer ---------------------------------------------------------------------------------

  function controlIcon(p, changed) {
    return L.divIcon({
      className: "ctl-marker ctl-" + p.status + (changed ? " ctl-changed" : ""),
      html: "", iconSize: [22, 22], iconAnchor: [11, 11],
    });
  }

  function holderOf(p) {
    return { key: actorKey(p.controller), name: actorName(p.controller),
             group: sideGroup(p.controller, p.side, p.country_code) };
  }

  function drawControl(collection) {
    const previous = state.control;
    const next = new Map();
    controlLayer.clearLayers();
    const holders = new Map();
    for (const f of collection.features) {
      const h = holderOf(f.properties);
      if (!holders.has(h.key)) holders.set(h.key, h);
    }
    assignColours([...holders.values()]);
    const unplaced = [];
    for (const f of collection.features) {
      const p = f.properties;
      const [lon, lat] = f.geometry ? f.geometry.coordinates : [null, null];
      next.set(p.place_id, { ...p, lat, lon });
      if (!f.geometry) { unplaced.push(p); continue; }
      const before = previous.get(p.place_id);
      const changed = previous.size > 0 && (!before || before.change_id !== p.change_id);
      const marker = L.marker([lat, lon], { icon: controlIcon(p, changed), keyboard: true,
                                            title: p.name, zIndexOffset: -1000 });
      marker.on("add", () => {
        const node = marker.getElement();
        if (!node) return;
        node.style.setProperty("--c", colourFor(p.controller));
        node.dataset.placeId = p.place_id;
        node.dataset.controller = actorName(p.controller);
        node.dataset.status = p.status;
      });
      const since = p.since ? " since " + p.since : "";
      marker.bindTooltip(textTip(p.name + ": " + actorName(p.controller) + " (" + p.status + since + ")"));
      marker.on("click", () => showPlace(p.place_id));
      onEnter(marker, () => showPlace(p.place_id));
      marker.addTo(controlLayer);
    }
    state.control = next;
    $("map").dataset.controlDate = collection.date;
    $("map").dataset.controlCount = String(next.size);
    drawUnplaced(unplaced);
    drawLegend();
  }

  function drawUnplaced(items) {
    const list = $("unplaced-list");
    list.replaceChildren(...items.map((p) => {
      const row = el("li", { tabindex: 0, "data-place-id": p.place_id },
        el("span", { class: "swatch", style: "--c:" + colourFor(p.controller) }),
        el("span", { class: "type" }, p.name), " · ", actorName(p.controller), " ",
        el("span", { class: "badge " + p.status }, p.status), " ",
        el("span", { class: "badge off-map" }, "not on map"));
      row.addEventListener("click", () => showPlace(p.place_id));
      row.addEventListener("keydown", (ev) => { if (ev.key === "Enter") row.click(); });
      return row;
    }));
    $("unplaced-count").textContent = String(items.length);
    $("unplaced-panel").hidden = items.length === 0;
  }

  // --- legend, on the map -------------------------------------------------------------------------------

  const LegendControl = L.Control.extend({
    options: { position: "bottomright" },
    onAdd() {
      const box = L.DomUtil.create("details", "legend leaflet-bar");
      box.id = "legend";
      box.open = window.matchMedia("(min-width: 701px)").matches;
      box.append(el("summary", {}, "Legend"), el("div", { id: "legend-body" }));
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.addEventListener("toggle", () => drawLabels());  // the labels it covered, or uncovers
      return box;
    },
  });
  new LegendControl().addTo(map);

  function key(symbol, text) {
    return el("span", { class: "key" }, symbol, el("span", {}, text));
  }

  // The holders of the places in view, grouped by side; the keys for the symbols drawn.
  function drawLegend() {
    const body = $("legend-body");
    if (!body) return;
    const view = map.getBounds().pad(0.05);
    const holders = new Map();
    for (const p of state.control.values()) {
      // Places without a position are listed beside the events, each with its holder's swatch.
      if (p.lat === null || !view.contains([p.lat, p.lon])) continue;
      const h = holderOf(p);
      if (!holders.has(h.key)) holders.set(h.key, h);
    }
    const bySide = new Map();
    for (const h of holders.values()) {
      if (!bySide.has(h.group)) bySide.set(h.group, []);
      bySide.get(h.group).push(h);
    }
    const who = el("section", { class: "legend-holders" }, el("h3", {}, "Who holds the places in view"));
    if (!holders.size) who.append(el("p", { class: "muted" }, "No control recorded here on this date."));
    // The usual families in a fixed order, sides of their own after them, "not known" last.
    const order = SIDES.filter((x) => x.key !== "other").map((x) => x.key)
      .concat([...bySide.keys()].filter((k) => k.startsWith("side:")).sort(), ["other"]);
    for (const side of order.map(sideInfo)) {
      const members = bySide.get(side.key);
      if (!members) continue;
      who.append(el("h4", { "data-side": side.key }, side.label),
        el("div", { class: "keys column" },
          members.map((h) => key(el("span", { class: "swatch", style: "--c:" + colourFor(h.name) }), h.name))));
    }
    const control = el("section", {}, el("h3", {}, "Control"), el("div", { class: "keys" },
      key(el("span", { class: "swatch confirmed" }), "confirmed"),
      key(el("span", { class: "swatch claimed" }), "claimed"),
      key(el("span", { class: "swatch contested" }), "contested")));
    const types = new Set(state.events.map((e) => e.event_type || null));
    const events = el("section", {}, el("h3", {}, "Events"),
      el("div", { class: "keys" },
        Object.entries(TYPE_COLOURS).filter(([t]) => types.has(t))
          .map(([t, c]) => key(el("span", { class: "ev-key", style: "--c:" + c }), t)),
        types.has(null) ? key(el("span", { class: "ev-key", style: "--c:" + NO_TYPE }), "other") : null),
      el("div", { class: "keys" },
        key(el("span", { class: "ev-key" }), "asserted"),
        key(el("span", { class: "ev-key hollow" }), "claimed"),
        key(el("span", { class: "ev-key dotted" }), "other modalities (filter)")),
      el("div", { class: "keys" },
        key(el("span", { class: "area-key" }), "region-wide"),
        key(el("span", { class: "cluster-key" }, "3"), "cluster"),
        key(el("span", { class: "town-key" }), "town")));
    body.replaceChildren(who, control, events);
  }

  // --- events -----------------------------------------------------------------------------------------

  function modalitiesChosen() {
    return [...document.querySelectorAll("#f-modality-options input:checked")].map((i) => i.value);
  }

  function eventParams() {
    const end = state.date;
    const windowDays = Number($("f-window").value);
    const start = windowDays > 0 ? iso(new Date(parseDay(end).getTime() - (windowDays - 1) * DAY)) : null;
    const chosen = modalitiesChosen();
    return {
      start, end, event_type: $("f-type").value,
      modality: chosen.join(","),
      q: $("f-q").value.trim(), limit: MAX_EVENTS,
    };
  }

  function eventLabel(e) {
    return e.sub_event_type || e.event_type || (e.plover_event ? e.plover_event.toLowerCase() : "event");
  }

  /* Where an event goes: a town (or a place near one) is pinned; a region-wide event (ACLED's geo
   * precision 3 within a first-level division) gets its own symbol at the region's point; a country-wide
   * one is listed, not pinned, since the country's centre is no place it happened; no coordinates: listed. */
  function pinKind(e) {
    if (e.lat === null || e.lat === undefined || e.lon === null || e.lon === undefined) return "none";
    if (e.geo_precision === 3) return e.admin1 ? "region" : "country";
    return "town";
  }

  function eventIcon(e, kind) {
    const hollow = e.modality === "claimed";
    const other = e.modality !== "asserted" && e.modality !== "claimed";
    const cls = kind === "region" ? "ev-area" : "ev-marker";
    // The shape is an inner element: Leaflet positions the icon with its own transform, which would
    // replace a rotation set on the icon itself (the diamonds drew as squares).
    return L.divIcon({
      className: cls + " ev-" + slug(e.event_type) + " mod-" + e.modality + (hollow ? " ev-hollow" : "") + (other ? " ev-other" : ""),
      html: kind === "region" ? "<i></i>" : "<i class=\"ev-shape\"></i>",
      iconSize: kind === "region" ? [20, 20] : [12, 12],
      iconAnchor: kind === "region" ? [22, 22] : [-5, 15],
    });
  }

  function drawEvents(page) {
    eventLayer.clearLayers();
    areaLayer.clearLayers();
    state.markers.clear();
    state.events = page.items;
    const markers = [];
    const counts = { town: 0, region: 0, country: 0, none: 0 };
    for (const e of page.items) {
      const kind = pinKind(e);
      counts[kind]++;
      if (kind === "none" || kind === "country") continue;
      const marker = L.marker([e.lat, e.lon], { icon: eventIcon(e, kind), title: eventLabel(e) });
      marker.on("add", () => {
        const node = marker.getElement();
        if (!node) return;
        node.style.setProperty("--c", typeColour(e.event_type));
        node.dataset.eventId = e.id;
        node.dataset.modality = e.modality;
        if (state.selected === e.id) node.classList.add("ev-selected");
      });
      const where = e.location ? " · " + e.location + (kind === "region" ? " (region-wide)" : "") : "";
      marker.bindTooltip(textTip((e.date || "undated") + " · " + eventLabel(e) + where + " · " + e.modality));
      marker.on("click", () => showEvent(e.id));
      onEnter(marker, () => showEvent(e.id));
      if (kind === "region") areaLayer.addLayer(marker);
      else markers.push(marker);
      state.markers.set(e.id, marker);
    }
    eventLayer.addLayers(markers);
    const m = $("map").dataset;
    m.eventCount = String(counts.town);
    m.regionCount = String(counts.region);
    m.unpinnedCount = String(counts.country + counts.none);

    const list = $("event-list");
    list.replaceChildren();
    for (const e of page.items.slice(0, MAX_LISTED)) {
      const kind = pinKind(e);
      const item = el("li", { tabindex: 0, "data-event-id": e.id, "data-pin": kind },
        el("span", { class: "dot" + (e.modality === "claimed" ? " hollow" : ""), style: "--c:" + typeColour(e.event_type) }),
        el("span", { class: "when" }, e.date || "undated"),
        el("span", { class: "type" }, eventLabel(e)),
        e.location ? " · " + e.location : "",
        e.actor1 ? " · " + actorName(e.actor1) : "",
        e.modality !== "asserted" ? el("span", { class: "badge mod" }, e.modality) : null,
        kind === "region" ? el("span", { class: "badge region" }, "region-wide") : null,
        kind === "country" ? el("span", { class: "badge off-map" }, "country-wide · not on map") : null,
        kind === "none" ? el("span", { class: "badge off-map" }, "not on map") : null,
        el("span", { class: "sentence" }, e.notes || ""));
      item.addEventListener("click", () => { showEvent(e.id); focusEvent(e.id); });
      item.addEventListener("keydown", (ev) => { if (ev.key === "Enter") item.click(); });
      list.append(item);
    }
    const more = page.total > page.items.length ? " (newest " + page.items.length + " shown)" : "";
    $("event-count").textContent = page.total + more;
  }

  /* A list click shows the event where it is, at a scale a town reads at; events at one point are
   * spread around it (the cluster's spider) rather than zoomed into at street level. */
  function focusEvent(id) {
    const marker = state.markers.get(id);
    if (!marker) return;
    const target = Math.max(map.getZoom(), Math.min(READ_ZOOM, map.getMaxZoom()));
    // The cluster layer regroups its markers after a move, with an animation of its own; until the
    // marker is drawn, spread the group it is in, a few times over if the regrouping was not done.
    const spread = (tries) => {
      if (marker.getElement()) {
        setTimeout(() => { if (marker.getElement()) marker.openTooltip(); }, 300);
        return;
      }
      const parent = eventLayer.hasLayer(marker) ? eventLayer.getVisibleParent(marker) : null;
      if (parent && parent !== marker && parent.spiderfy && parent.getElement()) parent.spiderfy();
      if (tries > 0) setTimeout(() => spread(tries - 1), 250);
    };
    const centre = marker.getLatLng();
    if (map.getZoom() === target && map.getBounds().pad(-0.2).contains(centre)) {
      spread(8);
      return;
    }
    map.once("moveend", () => setTimeout(() => spread(8), 250));
    map.setView(centre, target, { animate: true });
  }

  // --- refresh: the slider, the filters ---------------------------------------------------------------

  async function refresh({ fit = false } = {}) {
    const seq = ++state.seq;
    busy(+1);
    try {
      // No modality ticked shows no events: an empty filter would otherwise mean "all of them".
      const none = { items: [], total: 0 };
      const [control, events] = await Promise.all([
        api("control", { date: state.date }),
        modalitiesChosen().length ? api("events", eventParams()) : none,
      ]);
      if (seq !== state.seq) return;  // a later move of the slider has already asked again
      drawEvents(events);
      drawControl(control);
      if (fit) fitToData();
      drawLabels();
      writeUrl();
      if (state.openPlace) showPlace(state.openPlace, { keepScroll: true });
    } catch (err) {
      $("event-count").textContent = "— " + err.message;
    } finally {
      busy(-1);
    }
  }

  // The default view: every pinned place and event of the date, not the world.
  function fitToData() {
    const points = [];
    controlLayer.eachLayer((m) => points.push(m.getLatLng()));
    eventLayer.eachLayer((m) => points.push(m.getLatLng()));
    areaLayer.eachLayer((m) => points.push(m.getLatLng()));
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 9, animate: false });
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

  // --- the view in the URL ---------------------------------------------------------------------------

  /* /?date=2024-12-09&bbox=35,32,42,37.5&type=Battles&modality=asserted,claimed&window=7&q=...&place=...
   * Opening such a link restores the view; every change of it rewrites the link in place (no history
   * entry per slider step). The token is never part of it. */
  function readUrl() {
    const q = new URLSearchParams(location.search);
    const view = {};
    if (isDay(q.get("date"))) view.date = q.get("date");
    const box = (q.get("bbox") || "").split(",").map(Number);
    if (box.length === 4 && box.every(Number.isFinite) && box[1] < box[3] && Math.abs(box[1]) <= 90 && Math.abs(box[3]) <= 90) {
      view.bbox = box;
    }
    for (const k of ["type", "window", "q", "place", "event"]) if (q.get(k)) view[k] = q.get(k);
    if (q.has("modality")) view.modality = q.get("modality").split(",").filter(Boolean);
    return view;
  }

  function writeUrl() {
    if (!state.started) return;
    const q = new URLSearchParams();
    q.set("date", state.date);
    const b = map.getBounds();
    q.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(3)).join(","));
    if ($("f-type").value) q.set("type", $("f-type").value);
    const chosen = modalitiesChosen();
    if (chosen.join(",") !== MODALITIES_SHOWN.join(",")) q.set("modality", chosen.join(","));
    if ($("f-window").value !== "30") q.set("window", $("f-window").value);
    if ($("f-q").value.trim()) q.set("q", $("f-q").value.trim());
    if (state.openPlace) q.set("place", state.openPlace);
    else if (state.selected) q.set("event", state.selected);
    // Commas are safe in a query string and read better unescaped.
    const search = "?" + q.toString().replace(/%2C/g, ",");
    if (search !== location.search) history.replaceState(null, "", search);
  }

  async function copyLink() {
    writeUrl();
    const button = $("share");
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = "Copied";
    } catch (err) {
      // Clipboard access needs a secure context or a permission; the address bar has the link anyway.
      button.textContent = "Link in the address bar";
    }
    setTimeout(() => { button.textContent = "Copy link"; }, 1800);
  }

  // --- token ------------------------------------------------------------------------------------------

  function askToken(why) {
    const dialog = $("token-dialog");
    $("token-why").textContent = why;
    $("token-input").value = "";
    if (!dialog.open) dialog.showModal();
    document.body.dataset.token = "needed";
  }

  function setupToken() {
    const dialog = $("token-dialog");
    $("token-open").addEventListener("click", () => askToken(state.token
      ? "A token is in use for this tab. Enter another, or forget it."
      : "Enter the server's access token if it needs one to be read."));
    $("token-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const token = $("token-input").value.trim();
      if (!token) return;
      state.token = token;
      sessionStorage.setItem(TOKEN_KEY, token);
      dialog.close();
      document.body.dataset.token = "set";
      if (!state.started) start(); else { loadActors(); loadTowns(); refresh(); }
    });
    $("token-forget").addEventListener("click", () => {
      state.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      document.body.dataset.token = "";
      dialog.close();
    });
    $("token-cancel").addEventListener("click", () => dialog.close());
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
    state.openPlace = null;
    selectEvent(null);
    writeUrl();
  }

  function selectEvent(id) {
    for (const node of document.querySelectorAll(".ev-selected")) node.classList.remove("ev-selected");
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
    return name ? actorName(name) + (side ? " (" + side + ")" : "") : null;
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
    state.openPlace = null;
    selectEvent(id);
    const body = openPanel("Event");
    writeUrl();
    busy(+1);
    try {
      const e = await api("events/" + encodeURIComponent(id));
      const kind = pinKind(e);
      $("evidence-title").textContent = eventLabel(e) + (e.location ? " — " + e.location : "");
      body.replaceChildren(facts([
        ["Date", e.date ? e.date + (e.time_precision > 1 ? " (±" + (e.time_precision === 2 ? "week" : "month") + ")" : "") : "undated"],
        ["Type", [e.event_type, e.sub_event_type].filter(Boolean).join(" › ") || null],
        ["PLOVER", e.plover_event ? e.plover_event + (e.plover_mode ? " / " + e.plover_mode : "") : null],
        ["Modality", e.modality],
        ["Where", e.location ? [e.location, e.admin1, e.country_code].filter(Boolean).join(", ") : null],
        ["On the map", { town: null, region: "at the region's centre (region-wide)", country: "no: country-wide", none: "no: not located" }[kind]],
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

  // The change in force on a day: the latest effective, dated one on or before it.
  function inForce(history, day) {
    let found = null;
    for (const c of history) {
      if (!c.effective || !c.date || c.date > day) continue;
      if (!found || c.date >= found.date) found = c;
    }
    return found;
  }

  function changeItem(c, current) {
    const item = el("li", { class: current ? "in-force" : null, style: "--c:" + (state.colours.get(actorKey(c.to_actor)) || "#888") },
      el("div", {}, el("strong", {}, c.date || "undated"), " ",
         el("span", { class: "badge " + c.status }, c.status), " ",
         current ? el("span", { class: "badge in-force" }, "in force on " + state.date) : null, " ",
         (c.from_actor ? actorName(c.from_actor) + " → " : "→ ") + actorName(c.to_actor),
         c.effective ? null : el("span", { class: "muted" }, " (denied: does not move control)"),
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
        ev.sentences.length ? el("ul", { class: "sentences" }, [...new Set(ev.sentences)].map((s) => el("li", {}, s))) : null,
        show, slot));
    }
    return item;
  }

  async function showPlace(placeId, { keepScroll = false } = {}) {
    selectEvent(null);
    state.openPlace = placeId;
    const scroll = $("side").scrollTop;
    const body = keepScroll ? $("evidence-body") : openPanel("Place");
    writeUrl();
    busy(+1);
    try {
      const d = await api("places/" + encodeURIComponent(placeId));
      if (state.openPlace !== placeId) return;
      const p = d.place;
      $("evidence-title").textContent = p.name;
      const current = inForce(d.control, state.date);
      const held = current
        ? el("p", { class: "holder", style: "--c:" + (state.colours.get(actorKey(current.to_actor)) || "#888") },
            el("span", { class: "swatch" }), " On ", el("strong", {}, state.date), " held by ",
            el("strong", {}, actorName(current.to_actor)), current.to_side ? " (" + current.to_side + ")" : "",
            " — ", el("span", { class: "badge " + current.status }, current.status),
            current.date ? " since " + current.date : "")
        : el("p", { class: "holder muted" }, "No holder recorded on " + state.date + ".");
      held.id = "holder";
      const nodes = [held, facts([
        ["Where", [p.admin1, p.country_code].filter(Boolean).join(", ")],
        ["On the map", p.lat === null || p.lat === undefined ? "no: position not known" : null],
        ["Events", p.n_events],
        ["Changes", p.n_control_changes],
        ["GeoNames", p.geonameid],
      ])];
      // Newest first, undated last: the reader wants what holds now, then how it came to be.
      const ordered = [...d.control].sort((a, b) =>
        (b.date || "").localeCompare(a.date || "") || (a.date ? 0 : 1) - (b.date ? 0 : 1));
      const undatedLast = ordered.filter((c) => c.date).concat(ordered.filter((c) => !c.date));
      const history = el("ol", { class: "history" }, undatedLast.map((c) => changeItem(c, current && c.id === current.id)));
      nodes.push(el("h3", {}, "Control history, newest first"),
        d.control.length ? history : el("p", { class: "muted" }, "No changes of control recorded."));
      body.replaceChildren(...nodes);
      if (keepScroll) $("side").scrollTop = scroll;
      document.body.dataset.evidence = placeId;
    } catch (err) {
      body.replaceChildren(el("p", {}, "Could not load this place: " + err.message));
    } finally {
      busy(-1);
    }
  }

  // --- start ----------------------------------------------------------------------------------------

  function buildModalityPicker(modalities, chosen) {
    const box = $("f-modality-options");
    box.replaceChildren(...modalities.map((m) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "modality", value: m, checked: chosen.includes(m) }), m)));
    const summary = () => {
      const c = modalitiesChosen();
      $("f-modality-summary").textContent = c.length ? c.join(", ") : "none";
    };
    box.addEventListener("change", summary);
    summary();
  }

  async function start() {
    busy(+1);
    try {
      const view = readUrl();
      // The outlines take a moment to parse; the data is fetched meanwhile.
      const outlinesDrawn = loadOutlines();
      // Sides are read from the actors' catalogue entries; asked for beside the meta, not after it.
      const actorsRead = loadActors();
      const meta = await api("meta");
      state.meta = meta;
      const s = meta.stats;
      $("stats").textContent = s.events + " events · " + s.places + " places · " + s.articles + " articles";
      $("f-type").replaceChildren(el("option", { value: "" }, "All event types"),
        ...Object.keys(meta.vocabularies.event_types).map((t) => el("option", { value: t }, t)));
      const known = meta.vocabularies.modalities;
      buildModalityPicker(known, (view.modality || MODALITIES_SHOWN).filter((m) => known.includes(m)));
      if (view.type && meta.vocabularies.event_types[view.type]) $("f-type").value = view.type;
      if (view.window && ["1", "7", "30", "0"].includes(view.window)) $("f-window").value = view.window;
      if (view.q) $("f-q").value = view.q.slice(0, 200);

      const end = meta.period.end || s.last_event_date;
      const begin = meta.period.start || s.first_event_date;
      let last = end ? parseDay(end) : parseDay(iso(new Date()));
      let first = begin ? parseDay(begin) : last;
      // A shared link's date is shown even outside the stored period: the slider stretches to it.
      if (view.date) {
        const asked = parseDay(view.date);
        if (asked < first) first = asked;
        if (asked > last) last = asked;
      }
      state.first = first;
      state.days = Math.max(0, Math.round((last - first) / DAY));
      $("slider").max = String(state.days);
      setDay(view.date ? dayIndex(view.date) : state.days);
      if (view.bbox) {
        const [w, so, e, n] = view.bbox;
        map.fitBounds([[so, w], [n, e < w ? e + 360 : e]], { animate: false });
      }
      const ticked = loadChangeDays();
      if (!state.started) {
        $("slider").addEventListener("input", () => { setDay(Number($("slider").value)); scheduleRefresh(); });
        $("play").addEventListener("click", togglePlay);
        $("evidence-back").addEventListener("click", closePanel);
        $("filters").addEventListener("change", scheduleRefresh);
        $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); scheduleRefresh(); });
        $("f-q").addEventListener("input", scheduleRefresh);
        $("share").addEventListener("click", copyLink);
      }
      await actorsRead;
      state.started = true;
      await refresh({ fit: !view.bbox });
      // The fit (or the link's box) may not move the map, and then no moveend asks for these.
      await Promise.all([loadTowns(), loadAdmin1()]);
      if (view.place) showPlace(view.place);
      else if (view.event) showEvent(view.event);
      await Promise.all([outlinesDrawn, ticked]);
    } catch (err) {
      const why = err.status === 401 ? "This server needs its access token: use the Token button." : "Could not reach the API: " + err.message;
      $("stats").textContent = why;
    } finally {
      busy(-1);
    }
  }

  setupToken();
  window.frontline = { state, map, refresh, showEvent, showPlace, fitToData };
  start();
})();
