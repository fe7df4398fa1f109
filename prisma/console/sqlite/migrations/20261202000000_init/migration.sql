-- CreateTable
CREATE TABLE "console_users" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "role" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" DATETIME NOT NULL,
    "failed_count" INTEGER NOT NULL DEFAULT 0,
    "first_failed_at" DATETIME,
    "locked_until" DATETIME
);

-- CreateTable
CREATE TABLE "console_sessions" (
    "id_hash" TEXT NOT NULL PRIMARY KEY,
    "subject" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "upstream_secret" TEXT
);

-- CreateIndex
CREATE INDEX "console_sessions_subject_idx" ON "console_sessions"("subject");

-- CreateIndex
CREATE INDEX "console_sessions_expires_at_idx" ON "console_sessions"("expires_at");
