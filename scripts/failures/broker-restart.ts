// `npm run failures:broker-restart`: the SHARED Kafka broker stopped (`infra.sh down kafka`) for
// FAILURE_OUTAGE_SECONDS (20) during FAILURE_LOAD_SECONDS (60) of submissions at FAILURE_RATE (20/s),
// then started again. The services must recover by themselves (no restart), 503s while it is down
// are counted, and every accepted portfolio must reach the read models exactly once with exact
// numbers (outage.ts). Exit status 0 only when nothing is lost.
import { runOutage } from './outage';

runOutage({
  name: 'failures:broker-restart',
  part: 'kafka',
  label: 'broker',
  defaultOutageSeconds: 20,
  concurrency: 8,
});
