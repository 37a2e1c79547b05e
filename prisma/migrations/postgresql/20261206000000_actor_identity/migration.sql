-- AlterTable
ALTER TABLE "TaskEvent" ADD COLUMN "actorGroups" TEXT;
ALTER TABLE "TaskEvent" ADD COLUMN "actorSource" TEXT;

-- AlterTable
ALTER TABLE "TaskOperation" ADD COLUMN "actorGroups" TEXT;
ALTER TABLE "TaskOperation" ADD COLUMN "actorSource" TEXT;
