import type { MinerLimits } from '../config/MinerConfigSchema';
import type { AdmissionPolicy } from './admitCaller';
import type { EpochRateLimiterOptions } from './EpochRateLimiter';

/** The admission policy a config's `limits` describe. */
export function admissionPolicyFromLimits(limits: MinerLimits): AdmissionPolicy {
  return { minValidatorStake: limits.min_validator_stake, allowlist: new Set(limits.allowlist) };
}

/** The rate limiter options a config's `limits` describe. */
export function rateLimiterOptionsFromLimits(limits: MinerLimits): EpochRateLimiterOptions {
  return {
    requestsPerEpoch: limits.rate_limit_per_epoch,
    allowlistRequestsPerEpoch: limits.allowlist_requests_per_epoch,
  };
}
