// Talks to the CMS's GraphQL endpoint. Public queries go over GET so that HTTP
// caches (the browser's, a CDN's) can keep them; previews go over POST, never
// cached. A query too long for a URL is POSTed as well.

import config from "/config.js";

export const CMS_URL = config.cmsUrl.replace(/\/+$/, "");
const ENDPOINT = `${CMS_URL}/graphql/`;
const MAX_GET_URL = 4000;

export class ApiError extends Error {
  constructor(message, { errors = [], status = 0 } = {}) {
    super(message);
    this.errors = errors;
    this.status = status;
  }
}

function compact(query) {
  return query.replace(/\s+/g, " ").trim();
}

export async function graphql(query, variables = {}, { method = "GET" } = {}) {
  const text = compact(query);
  const params = new URLSearchParams({ query: text, variables: JSON.stringify(variables) });
  let response;
  if (method === "GET" && ENDPOINT.length + params.toString().length + 1 <= MAX_GET_URL) {
    response = await fetch(`${ENDPOINT}?${params}`, { headers: { Accept: "application/json" } });
  } else {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query: text, variables }),
      cache: "no-store",
    });
  }
  let payload;
  try {
    payload = await response.json();
  } catch {
    throw new ApiError(`The CMS answered ${response.status} without JSON.`, { status: response.status });
  }
  if (payload.errors?.length) {
    throw new ApiError(payload.errors.map((error) => error.message).join(" "), {
      errors: payload.errors,
      status: response.status,
    });
  }
  return payload.data;
}

/** A URL from the API made absolute: media and documents live on the CMS, pages on this site. */
export function cmsAsset(url) {
  if (!url) return url;
  return url.startsWith("/") && !url.startsWith("//") ? `${CMS_URL}${url}` : url;
}

/** A srcset value ("url 640w, url 1280w") with each URL made absolute. */
export function cmsSrcset(srcset) {
  if (!srcset) return srcset;
  return srcset
    .split(",")
    .map((candidate) => candidate.trim())
    .filter(Boolean)
    .map((candidate) => {
      const [url, ...descriptor] = candidate.split(/\s+/);
      return [cmsAsset(url), ...descriptor].join(" ");
    })
    .join(", ");
}

/**
 * A mutation over POST, never cached. With files, as a GraphQL multipart request: the
 * operation in `operations`, each file under its own part and `map` saying which
 * variable it fills.
 */
export async function mutate(query, variables, files = {}) {
  const text = compact(query);
  let body;
  let headers = { Accept: "application/json" };
  const present = Object.entries(files).filter(([, file]) => file);
  if (present.length) {
    body = new FormData();
    const nulls = Object.fromEntries(present.map(([name]) => [name, null]));
    body.append("operations", JSON.stringify({ query: text, variables: { ...variables, ...nulls } }));
    body.append("map", JSON.stringify(Object.fromEntries(present.map(([name], i) => [String(i), [`variables.${name}`]]))));
    present.forEach(([, file], i) => body.append(String(i), file));
  } else {
    body = JSON.stringify({ query: text, variables });
    headers = { ...headers, "Content-Type": "application/json" };
  }
  const response = await fetch(ENDPOINT, { method: "POST", headers, body, cache: "no-store" });
  let payload;
  try {
    payload = await response.json();
  } catch {
    throw new ApiError(`The CMS answered ${response.status} without JSON.`, { status: response.status });
  }
  if (payload.errors?.length) {
    throw new ApiError(payload.errors.map((error) => error.message).join(" "), { errors: payload.errors, status: response.status });
  }
  return payload.data;
}
