package dev.intake.adapters.dynamodb;

/** The physical table names, given by the deployment (environment), never hard-coded. */
public record TableNames(String control, String records) {
    public static TableNames fromEnvironment() {
        return new TableNames(require("CONTROL_TABLE"), require("RECORDS_TABLE"));
    }

    static String require(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " is not set");
        }
        return value;
    }
}
