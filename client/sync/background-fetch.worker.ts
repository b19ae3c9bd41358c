import { serveBackgroundFetch, type BackgroundReply, type BackgroundRequest, type MessageEnd } from './background-fetch.ts';

serveBackgroundFetch(self as unknown as MessageEnd<BackgroundRequest, BackgroundReply>);
