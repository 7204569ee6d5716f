// A readiness check of an API the dashboard forwards to: its own GET /readyz answers 200.
import { upstreamUrl } from './proxy';

export const apiReady =
  (baseUrl: string, timeoutMs = 1500) =>
  async (): Promise<void> => {
    let status: number;
    try {
      const res = await fetch(upstreamUrl(baseUrl, '/readyz'), { signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      status = res.status;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new Error(`GET ${baseUrl}/readyz failed: ${why}`);
    }
    if (status !== 200) throw new Error(`GET ${baseUrl}/readyz answered ${status}`);
  };
