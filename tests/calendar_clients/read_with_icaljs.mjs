// Read an .ics file the way Thunderbird does: with Mozilla's ical.js.
//   node read_with_icaljs.mjs ICALJS_PACKAGE_DIR FILE.ics
// Prints JSON: the calendar's properties and, per VEVENT, what ical.js made of
// it (UID, start and end with their time zone, SEQUENCE, DTSTAMP) and every
// occurrence its recurrence iterator gives. A parse error exits with status 2
// and ical.js's own message on stderr.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, file] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(join(packageDir, "dist", "ical.js")).href)).default;
const MAX_OCCURRENCES = 1000;

function time(value) {
  if (!value) return null;
  return { value: value.toString(), isDate: value.isDate, zone: value.zone ? value.zone.tzid : null };
}

function occurrences(event) {
  const found = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && found.length < MAX_OCCURRENCES; next = iterator.next()) {
    found.push(next.toString());
  }
  return found;
}

let root;
try {
  root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
} catch (error) {
  process.stderr.write(`ical.js could not parse ${file}: ${error.message}\n`);
  process.exit(2);
}
const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const stamp = component.getFirstPropertyValue("dtstamp");
  return {
    uid: event.uid,
    summary: event.summary,
    start: time(event.startDate),
    end: time(event.endDate),
    sequence: event.sequence,
    dtstamp: stamp ? stamp.toString() : null,
    status: component.getFirstPropertyValue("status"),
    recurring: event.isRecurring(),
    occurrences: occurrences(event),
  };
});
const zones = root.getAllSubcomponents("vtimezone").map((zone) => zone.getFirstPropertyValue("tzid"));
process.stdout.write(
  JSON.stringify({
    icaljs: JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version,
    name: root.name,
    version: root.getFirstPropertyValue("version"),
    prodid: root.getFirstPropertyValue("prodid"),
    method: root.getFirstPropertyValue("method"),
    timezones: zones,
    events,
  }),
);
