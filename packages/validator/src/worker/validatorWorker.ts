// The entry of a validator's evaluation worker threads (built as dist/validatorWorker.js).
import { serveHostWorker } from '@signal/runtime';
import { createValidatorWorker } from './createValidatorWorker';

serveHostWorker(createValidatorWorker);
