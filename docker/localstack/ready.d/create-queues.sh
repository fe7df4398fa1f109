#!/bin/bash
# LocalStack ready hook: creates the queues, so LocalStack reports its init stage complete
# (GET /_localstack/init/ready, the compose healthcheck) only once they exist. It applies what
# ensureQueues (packages/queue/src/queue-setup.ts) applies; the queues-setup job then runs that
# code itself, which is idempotent and has the last word.
set -euo pipefail

# LocalStack takes a 12-digit access key as the account id; 000000000000 is its default account,
# the one the services' fixed local credentials land in too.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-000000000000}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"

queue="${SQS_QUEUE_NAME:-high-priority-debtors}"
dlq="${SQS_DLQ_NAME:-high-priority-debtors-dlq}"
max_receive_count="${SQS_MAX_RECEIVE_COUNT:-5}"
dlq_retention_seconds=1209600 # 14 days, SQS's maximum, as in queue-setup.ts

dlq_url="$(awslocal sqs create-queue --queue-name "$dlq" --query QueueUrl --output text)"
awslocal sqs set-queue-attributes --queue-url "$dlq_url" \
  --attributes "MessageRetentionPeriod=$dlq_retention_seconds"
dlq_arn="$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)"

queue_url="$(awslocal sqs create-queue --queue-name "$queue" --query QueueUrl --output text)"
redrive_policy="{\"deadLetterTargetArn\":\"$dlq_arn\",\"maxReceiveCount\":\"$max_receive_count\"}"
# The policy is a JSON document inside a JSON string: escape its quotes.
awslocal sqs set-queue-attributes --queue-url "$queue_url" \
  --attributes "{\"RedrivePolicy\":\"${redrive_policy//\"/\\\"}\"}"

echo "queue $queue_url ready; dead letters after $max_receive_count receives go to $dlq_url"
