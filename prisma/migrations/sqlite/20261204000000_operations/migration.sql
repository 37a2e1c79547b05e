-- AlterTable
ALTER TABLE "TaskEvent" ADD COLUMN "note" TEXT;

-- CreateTable
CREATE TABLE "TaskOperation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "steps" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "taskBefore" TEXT,
    "taskAfter" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "error" TEXT,
    "waiting" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "activeKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    CONSTRAINT "TaskOperation_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "ReleaseTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "TaskOperation_activeKey_key" ON "TaskOperation"("activeKey");

-- CreateIndex
CREATE INDEX "TaskOperation_state_nextAttemptAt_idx" ON "TaskOperation"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TaskOperation_taskId_createdAt_idx" ON "TaskOperation"("taskId", "createdAt");

