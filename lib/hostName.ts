// IOS host names: letters, digits and inner hyphens, 63 characters at most (the seed's 9120-EWC starts with a digit).
export const HOSTNAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
