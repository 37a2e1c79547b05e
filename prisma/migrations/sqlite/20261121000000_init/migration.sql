-- CreateTable
CREATE TABLE "ReleaseTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "baseVersion" TEXT NOT NULL,
    "newVersion" TEXT NOT NULL,
    "spec" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "nameKey" TEXT,
    "activeKey" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "TaskEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "resourceVersions" TEXT,
    "result" TEXT NOT NULL,
    "error" TEXT,
    CONSTRAINT "TaskEvent_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "ReleaseTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ReleaseTask_nameKey_key" ON "ReleaseTask"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReleaseTask_activeKey_key" ON "ReleaseTask"("activeKey");

-- CreateIndex
CREATE INDEX "ReleaseTask_createdAt_idx" ON "ReleaseTask"("createdAt");

-- CreateIndex
CREATE INDEX "ReleaseTask_namespace_createdAt_idx" ON "ReleaseTask"("namespace", "createdAt");

-- CreateIndex
CREATE INDEX "ReleaseTask_state_createdAt_idx" ON "ReleaseTask"("state", "createdAt");

-- CreateIndex
CREATE INDEX "ReleaseTask_service_createdAt_idx" ON "ReleaseTask"("service", "createdAt");

-- CreateIndex
CREATE INDEX "ReleaseTask_strategy_createdAt_idx" ON "ReleaseTask"("strategy", "createdAt");

-- CreateIndex
CREATE INDEX "ReleaseTask_namespace_state_createdAt_idx" ON "ReleaseTask"("namespace", "state", "createdAt");

-- CreateIndex
CREATE INDEX "TaskEvent_taskId_at_idx" ON "TaskEvent"("taskId", "at");

