import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { PASSWORD_EXCLUDED_CHARACTERS } from "../aws/src/database.construct";
import { PRIVATE_SUBNETS, refTarget, resourcesOf, VPC_CIDR } from "./support/cdk-template";

/** The database and its secrets, on both stages' stacks. */
export function checkDatabase(productionTemplate: Template, stagingTemplate: Template): void {
  const production = resourcesOf(productionTemplate);
  const staging = resourcesOf(stagingTemplate);
  const only = (resources: ReturnType<typeof resourcesOf>, type: string) => {
    const found = Object.entries(resources).filter(([, r]) => r.Type === type);
    expect(found, type).toHaveLength(1);
    const [id = "", resource] = found[0] ?? [];
    return { id, properties: resource?.Properties ?? {} };
  };

  describe("the CDK stack's MySQL database", () => {
    const instance = only(production, "AWS::RDS::DBInstance").properties;

    it("when synthesised, then it is MySQL 8 in the given private subnets, unreachable from the internet", () => {
      expect(instance.Engine).toBe("mysql");
      expect(String(instance.EngineVersion)).toMatch(/^8\./);
      expect(instance.PubliclyAccessible).toBe(false);
      const subnets = only(production, "AWS::RDS::DBSubnetGroup");
      expect(refTarget(instance.DBSubnetGroupName)).toBe(subnets.id);
      expect(subnets.properties.SubnetIds).toEqual(PRIVATE_SUBNETS);
    });

    it("when a client connects, then only from the VPC on 3306, and the server refuses anything but TLS", () => {
      const group = only(production, "AWS::EC2::SecurityGroup").properties;
      expect(group.SecurityGroupIngress).toEqual([
        expect.objectContaining({ CidrIp: VPC_CIDR, IpProtocol: "tcp", FromPort: 3306, ToPort: 3306 }),
      ]);
      const parameters = only(production, "AWS::RDS::DBParameterGroup");
      expect(refTarget(instance.DBParameterGroupName)).toBe(parameters.id);
      expect(parameters.properties.Parameters).toMatchObject({ require_secure_transport: "ON" });
    });

    it("when data is stored, then it is encrypted with a customer-managed, rotating key", () => {
      expect(instance.StorageEncrypted).toBe(true);
      const key = production[refTarget(instance.KmsKeyId)];
      expect(key?.Type).toBe("AWS::KMS::Key");
      expect(key?.Properties?.EnableKeyRotation).toBe(true);
    });

    it("when the admin password is set, then it comes from a generated Secrets Manager secret, never from the template", () => {
      const password = JSON.stringify(instance.MasterUserPassword);
      expect(password).toContain("resolve:secretsmanager:");
      const admin = Object.values(production).find(
        (r) => r.Type === "AWS::SecretsManager::Secret" && r.Properties?.Name === "smartrecover/database/admin",
      );
      expect(admin?.Properties?.GenerateSecretString).toBeDefined();
      expect(admin?.Properties).not.toHaveProperty("SecretString");
    });

    it("when a user's password is generated, then it can go into a mysql:// URL unescaped", () => {
      const generated = Object.values(production).filter(
        (r) =>
          r.Type === "AWS::SecretsManager::Secret" && String(r.Properties?.Name).startsWith("smartrecover/database/"),
      );
      expect(generated.map((r) => r.Properties?.Name).sort()).toEqual(
        ["admin", "console", "migrator", "partner-sync", "risk-service"].map((n) => `smartrecover/database/${n}`),
      );
      for (const secret of generated) {
        const excluded = String(
          (secret.Properties?.GenerateSecretString as { ExcludeCharacters?: string } | undefined)?.ExcludeCharacters,
        );
        // RFC 3986's reserved characters, percent and space: none may appear in a password.
        for (const character of ":/?#[]@!$&'()*+,;=% ")
          expect(excluded, String(secret.Properties?.Name)).toContain(character);
      }
      expect(PASSWORD_EXCLUDED_CHARACTERS).not.toMatch(/[A-Za-z0-9_-]/);
    });

    it("when production and staging are compared, then only production is protected from deletion and runs in two zones", () => {
      const stagingInstance = only(staging, "AWS::RDS::DBInstance").properties;
      expect(instance.DeletionProtection).toBe(true);
      expect(instance.MultiAZ).toBe(true);
      expect(stagingInstance.DeletionProtection).toBe(false);
      expect(stagingInstance.MultiAZ).toBe(false);
      expect(stagingInstance.StorageEncrypted).toBe(true);
    });
  });
}
