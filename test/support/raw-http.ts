import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawRequestOptions {
  method?: string;
  /** Sent as given, Host included (fetch would replace Host with the URL's). */
  headers?: Record<string, string>;
  body?: string;
  /** HTTPS: the certificate authority to trust, and the name to ask for (SNI). */
  ca?: string;
  servername?: string;
  /** The local address to connect from, e.g. 127.0.0.5 to look like another client on loopback. */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with node:http(s): resolves at the response head, the body still to read. */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<IncomingMessage> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.servername === undefined ? {} : { servername: options.servername }),
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        agent: false,
      },
      resolve,
    );
    request.once('error', reject);
    request.end(options.body);
  });
}

/** One request, read to the end. */
export async function rawFetch(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const response = await rawRequest(url, options);
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk as string;
  return { status: response.statusCode ?? 0, headers: response.headers, body };
}
