-- CreateTable
CREATE TABLE "AnalysisRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "step" INTEGER,
    "verdict" TEXT NOT NULL,
    "metrics" TEXT NOT NULL,
    "windowSeconds" INTEGER NOT NULL,
    CONSTRAINT "AnalysisRun_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "ReleaseTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AnalysisRun_taskId_at_idx" ON "AnalysisRun"("taskId", "at");
