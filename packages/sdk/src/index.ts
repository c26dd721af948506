/**
 * @switchyard/sdk: the telemetry client (init, wrapOpenAI, wrapAnthropic, trace/span) arrives with the
 * telemetry work; this version carries only what the server already speaks.
 */
export const SDK_VERSION = '0.1.0';
