-- AlterTable
ALTER TABLE "TaskEvent" ADD COLUMN "errorText" TEXT;
