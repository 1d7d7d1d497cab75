import { startSmtpSink } from '../../helpers/smtp.js';

/**
 * An SMTP sink on 127.0.0.1 (port 0) for load: it counts what it receives per recipient
 * and keeps no message, so that tens of thousands of them cost the test nothing.
 */
export interface CountingSink {
  port: number;
  url: string;
  /** Messages received per recipient address. */
  received: Map<string, number>;
  total(): number;
  bytes(): number;
  close(): Promise<void>;
}

/** The shared `startSmtpSink`, counting only. */
export async function startCountingSink(): Promise<CountingSink> {
  const sink = await startSmtpSink({ keep: false });
  return { ...sink, url: sink.url() };
}
