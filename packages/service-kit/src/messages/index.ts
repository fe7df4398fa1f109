export { checkProcessedAt, type ProcessedAtCheck } from "./message-clock";
export { MESSAGE_SIGNATURE_ATTRIBUTE, signMessageBody, verifyMessageBody } from "./message-signature";
export { DEFAULT_MESSAGE_MAX_CLOCK_SKEW_SECONDS, type MessageTrustEnv, messageTrustEnv } from "./message-trust-env";
