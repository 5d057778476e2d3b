// Reading the PyPI JSON API (`/pypi/<name>/json`, `/pypi/<name>/<version>/json`): the optional
// enrichment on top of the Simple API (summary, license, links, release dates, requires_dist,
// provides_extra, known vulnerabilities). Pure; malformed fields are dropped, never thrown.
import { parseJson } from './boundedJson';

export interface Vulnerability {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly fixedIn: readonly string[];
  readonly link?: string;
}

export interface ProjectDetails {
  readonly name: string;
  /** The release this document describes (the latest one on the project route). */
  readonly version: string;
  readonly summary?: string;
  readonly license?: string;
  readonly requiresPython?: string;
  readonly requiresDist: readonly string[];
  /** Whether `requires_dist` was a list: null means the index does not know (not "no dependencies"). */
  readonly requiresDistKnown: boolean;
  /** The extras the release declares (`provides_extra`); undefined when the index does not say. */
  readonly providesExtra?: readonly string[];
  /** Label → URL: Homepage, Source, Documentation, … */
  readonly projectUrls: Readonly<Record<string, string>>;
  /** Release → earliest upload time (ISO 8601), from `releases` (project route only). */
  readonly releaseDates: Readonly<Record<string, string>>;
  /** Known, not withdrawn, vulnerabilities of `version`. */
  readonly vulnerabilities: readonly Vulnerability[];
}

type Json = Record<string, unknown>;

const record = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function uploadTime(file: Json): string | undefined {
  return text(file.upload_time_iso_8601) ?? (text(file.upload_time) ? `${file.upload_time as string}Z` : undefined);
}

function vulnerabilities(value: unknown): Vulnerability[] {
  const found: Vulnerability[] = [];
  for (const raw of Array.isArray(value) ? value : []) {
    const entry = record(raw);
    const id = text(entry?.id);
    // Withdrawn advisories were found to be wrong: showing them would cry wolf.
    if (!entry || !id || (entry.withdrawn !== null && entry.withdrawn !== undefined)) continue;
    found.push({ id, aliases: strings(entry.aliases), summary: text(entry.summary), details: text(entry.details), fixedIn: strings(entry.fixed_in), link: text(entry.link) });
  }
  return found;
}

export function parseProjectDetails(body: string): { ok: true; details: ProjectDetails } | { ok: false; message: string; kind?: 'too-large' } {
  const parsed = parseJson(body);
  if (!parsed.ok) return parsed.kind === 'too-large' ? { ok: false, kind: 'too-large', message: `the JSON API answer: ${parsed.message}` } : { ok: false, message: `the JSON API sent invalid JSON (${parsed.message})` };
  const data = parsed.value;
  const info = record(record(data)?.info);
  const name = text(info?.name);
  const version = text(info?.version);
  if (!info || !name || !version) return { ok: false, message: 'the JSON API answer has no info.name/info.version' };
  const projectUrls: Record<string, string> = {};
  for (const [label, url] of Object.entries(record(info.project_urls) ?? {})) if (text(url)) projectUrls[label] = url as string;
  if (text(info.home_page) && !Object.values(projectUrls).includes(info.home_page as string)) projectUrls.Homepage ??= info.home_page as string;
  const releaseDates: Record<string, string> = {};
  for (const [release, files] of Object.entries(record(record(data)?.releases) ?? {})) {
    const times = (Array.isArray(files) ? files : []).map((f) => (record(f) ? uploadTime(record(f)!) : undefined)).filter((t): t is string => !!t);
    if (times.length) releaseDates[release] = times.sort()[0];
  }
  return {
    ok: true,
    details: {
      name,
      version,
      summary: text(info.summary),
      // license_expression (PEP 639) is short and exact; old `license` fields can hold a whole licence text.
      license: text(info.license_expression) ?? text(info.license),
      requiresPython: text(info.requires_python),
      requiresDist: strings(info.requires_dist),
      requiresDistKnown: Array.isArray(info.requires_dist),
      providesExtra: Array.isArray(info.provides_extra) ? strings(info.provides_extra) : undefined,
      projectUrls,
      releaseDates,
      vulnerabilities: vulnerabilities(record(data)?.vulnerabilities),
    },
  };
}
