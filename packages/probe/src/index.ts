export { ProbeError, ProbeErrorCode } from './errors.js';
export { issuerCommonName, namesOfSubjectAltName, probeResultOf, serverNameFor } from './peer-certificate.js';
export { type ProbeEndpoint, TlsEndpointProber, type TlsEndpointProberOptions } from './tls-endpoint-prober.js';
