#!/usr/bin/env node
import { runNeuronBin } from '@signal/chain';
import { runGatewayCli } from './cli/runGatewayCli';

void runNeuronBin('signal-gateway', runGatewayCli);
