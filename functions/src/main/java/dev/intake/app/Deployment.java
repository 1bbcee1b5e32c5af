package dev.intake.app;

/** Where this Intake runs: the region and account its ARNs name. */
public record Deployment(String region, String account) {
    public static final Deployment LOCAL = new Deployment("us-east-1", "000000000000");

    public static Deployment fromEnvironment() {
        String region = System.getenv().getOrDefault("AWS_REGION", LOCAL.region());
        String account = System.getenv().getOrDefault("INTAKE_ACCOUNT_ID", LOCAL.account());
        return new Deployment(region, account);
    }

    public String arn(String service, String resourceType, String name) {
        return "arn:aws:" + service + ":" + region + ":" + account + ":" + resourceType + "/" + name;
    }
}
