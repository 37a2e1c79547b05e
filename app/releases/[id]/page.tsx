import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { TaskDetailView } from "@/components/task/task-detail";
import { isTaskId } from "@/lib/names";

interface Props {
  params: Promise<{ id: string }>;
}

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t("task.title") };
}

export default async function TaskPage({ params }: Props) {
  const { id } = await params;
  if (!isTaskId(id)) notFound();
  return <TaskDetailView id={id} />;
}
