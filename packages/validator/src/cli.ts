#!/usr/bin/env node
import { runNeuronBin } from '@signal/chain';
import { runValidatorCli } from './cli/runValidatorCli';

void runNeuronBin('signal-validator', runValidatorCli);
