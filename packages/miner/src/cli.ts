#!/usr/bin/env node
import { runNeuronBin } from '@signal/chain';
import { runMinerCli } from './cli/runMinerCli';

void runNeuronBin('signal-miner', runMinerCli);
