import { z } from 'zod';
import type { SynapseSpec } from '../../synapses/SynapseSpec';

/** The bare `Synapse` every Python axon serves at `/Synapse`, answering with itself. */
export const PING_SPEC = {
  name: 'Synapse',
  schema: z.object({}),
  fields: [],
  requiredFields: [],
  requiredHashFields: [],
  responseFields: [],
  streaming: false,
} satisfies SynapseSpec;
