// `npm run failures:mongo-outage`: the SHARED MongoDB server stopped (`infra.sh down mongo`) for
// FAILURE_OUTAGE_SECONDS (30) during FAILURE_LOAD_SECONDS (60) of submissions at FAILURE_RATE (20/s).
// The projector must pause and catch up, the query API answer 503 problems meanwhile (a 500 is a
// failure), and nothing accepted be lost (outage.ts). Exit status 0 only when nothing is lost and
// no query got a 500.
import { runOutage } from './outage';

runOutage({
  name: 'failures:mongo-outage',
  part: 'mongo',
  label: 'MongoDB',
  defaultOutageSeconds: 30,
  concurrency: 4,
});
