package fi.callgate.gateway.commands;

/** The retention bounds a campaign's own setting must respect. */
public record RetentionLimits(int defaultDays, int maxDays, int personalIdDays) {
}
