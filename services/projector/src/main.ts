// projector: validated config → Kafka, registry, MongoDB → read models; SIGTERM stops it within
// SHUTDOWN_TIMEOUT_MS.
import { runMain } from '@drive-deposits/runtime';
import { loadProjectorConfig } from './config';
import { createProjectorService } from './service';

runMain({
  name: 'projector',
  load: () => loadProjectorConfig(),
  settings: (config) => config.service,
  create: createProjectorService,
});
