import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface QueueAlarmsProps {
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  alarmTopicArn?: string;
}

/** CloudWatch's view of the queues, independent of Prometheus: messages too old, dead letters waiting. */
export class QueueAlarms extends Construct {
  readonly oldestMessage: cloudwatch.Alarm;
  readonly deadLetters: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    this.oldestMessage = new cloudwatch.Alarm(this, "OldestMessage", {
      alarmDescription: "partner-sync is more than 10 minutes behind the high-priority queue",
      metric: props.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: "Maximum" }),
      threshold: 600,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters = new cloudwatch.Alarm(this, "DeadLetters", {
      alarmDescription: "Messages wait in the dead-letter queue: see `pnpm cli dlq list`, then redrive",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, "Topic", props.alarmTopicArn);
      for (const alarm of [this.oldestMessage, this.deadLetters]) {
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
    }
  }
}
