// Talks to the CMS's GraphQL endpoint. Public queries go over GET so that HTTP
// caches (the browser's, a CDN's) can keep them; previews go over POST, never
// cached. A query too long for a URL is POSTed as well.
//
// Nothing here runs at import time: `createApi({ cmsUrl, fetch })` gives the functions
// bound to one CMS, so the same module serves the browser (window.fetch) and the Node
// renderer (its own fetch).

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

async function readPayload(response) {
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

/** The API of one CMS: graphql (GET, or POST when long or asked), mutate and URL helpers. */
export function createApi({ cmsUrl, fetch: fetchImpl = globalThis.fetch }) {
  const base = cmsUrl.replace(/\/+$/, "");
  const endpoint = `${base}/graphql/`;
  // Called unbound: a browser's fetch refuses to run with another `this`.
  const send = (...args) => fetchImpl(...args);

  async function graphql(query, variables = {}, { method = "GET" } = {}) {
    const text = compact(query);
    const params = new URLSearchParams({ query: text, variables: JSON.stringify(variables) });
    let response;
    if (method === "GET" && endpoint.length + params.toString().length + 1 <= MAX_GET_URL) {
      response = await send(`${endpoint}?${params}`, { headers: { Accept: "application/json" } });
    } else {
      response = await send(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ query: text, variables }),
        cache: "no-store",
      });
    }
    return readPayload(response);
  }

  /**
   * A mutation over POST, never cached. With files, as a GraphQL multipart request: the
   * operation in `operations`, each file under its own part and `map` saying which
   * variable it fills.
   */
  async function mutate(query, variables, files = {}, { headers: extra = {} } = {}) {
    const text = compact(query);
    let body;
    let headers = { ...extra, Accept: "application/json" };
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
    return readPayload(await send(endpoint, { method: "POST", headers, body, cache: "no-store" }));
  }

  /** A URL from the API made absolute: media and documents live on the CMS (or its CDN), pages on this site. */
  function cmsAsset(url) {
    if (!url) return url;
    return url.startsWith("/") && !url.startsWith("//") ? `${base}${url}` : url;
  }

  /** A srcset value ("url 640w, url 1280w") with each URL made absolute. */
  function cmsSrcset(srcset) {
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

  return { cmsUrl: base, graphql, mutate, cmsAsset, cmsSrcset };
}
