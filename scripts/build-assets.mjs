// Builds Ladder's front-end into build/static/ (collected by Django as static files).
//
// The NHS.UK frontend's ready-compiled stylesheet loads the Frutiger font from an NHS web
// address and its icons from /assets/; with no internet and a strict Content Security Policy
// neither would load. So we compile the stylesheet from the package's Sass sources with the
// asset path pointing at our own static files and Arial (the NHS fallback) as the font, and
// copy the few files we serve from the npm packages. Nothing here is committed: it is rebuilt
// from node_modules by `make install`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const nhsuk = join(root, "node_modules", "nhsuk-frontend", "dist", "nhsuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "vendor"), { recursive: true });

const result = sass.compile(join(root, "static", "scss", "ladder.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
if (/https?:\/\//.test(result.css.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, ""))) {
  throw new Error("ladder.css refers to a network address; every asset must be local");
}
writeFileSync(join(out, "css", "ladder.css"), result.css);

cpSync(join(nhsuk, "assets"), join(out, "nhsuk", "assets"), { recursive: true });
cpSync(join(nhsuk, "nhsuk-frontend.min.js"), join(out, "vendor", "nhsuk-frontend.min.js"));
cpSync(
  join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"),
  join(out, "vendor", "htmx.min.js"),
);
console.log(`built ${out}`);
