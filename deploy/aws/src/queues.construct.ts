import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface QueuesProps {
  stage: string;
  queueName: string;
  deadLetterQueueName: string;
}

/**
 * The high-priority queue and its dead-letter queue, encrypted with a customer-managed key and
 * reachable over TLS only. Messages go to the DLQ after 5 receives, as SQS_MAX_RECEIVE_COUNT's
 * default says.
 */
export class Queues extends Construct {
  readonly key: kms.Key;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      alias: `alias/smartrecover-${props.stage}-queues`,
      description: "Encrypts SmartRecover's SQS queues",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      queueName: props.deadLetterQueueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      // As long as SQS keeps anything: time to find the cause and redrive.
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(30),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Only these principals may send to the main queue, whatever their identity policies say: a
   * leaked credential of any other role in the account cannot inject work.
   */
  restrictSendersTo(roles: iam.IRole[]): void {
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "OnlyPublishersSend",
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ["sqs:SendMessage"],
        resources: [this.queue.queueArn],
        conditions: { StringNotEquals: { "aws:PrincipalArn": roles.map((role) => role.roleArn) } },
      }),
    );
  }
}
