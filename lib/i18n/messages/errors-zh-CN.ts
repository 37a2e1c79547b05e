// 简体中文 server messages: exactly the keys of errors-en.ts (type-checked).
import type { ErrorKey } from "./errors-en";

export const errorsZhCN: Record<ErrorKey, string> = {
  "err.internal": "内部错误：详见服务器日志",
  // wizard conflicts
  "err.versionExists": "版本 {version} 已存在：{kind} {name}",
  "err.versionNameTaken.version": "版本 {version} 将部署为 {name}，但 Deployment {name} 已存在并运行版本 {other}；请换一个版本标签",
  "err.versionNameTaken.app": "版本 {version} 将部署为 {name}，但 Deployment {name} 已存在并运行应用 {app} 的 Pod；请换一个版本标签",
  "err.versionNameTaken.otherApp": "版本 {version} 将部署为 {name}，但 Deployment {name} 已存在并运行其他应用的 Pod；请换一个版本标签",
  "err.versionNameTaken.unlabelled": "版本 {version} 将部署为 {name}，但 Deployment {name} 已存在并运行没有版本标签的 Pod；请换一个版本标签",
  "err.baseHasNoContainers": "基线 Deployment {name} 没有容器",
  "err.serviceWithoutSelector": "Service {service} 没有选择器，其端点无法包含新版本的 Pod",
  "err.serviceSelectorMisses": "Service {service} 选择 {selector}，新版本的 Pod（{labels}）不会被选中",
  "err.baseSelectorAdopts": "基线 Deployment {name} 选择 {selector}，会把新版本的 Pod 也纳入管理；请在其选择器中加上版本标签",
  "err.selectorAdopts": "Deployment {name} 选择 {selector}，会把新版本的 Pod 也纳入管理；请在其选择器中加上版本标签",
  "err.taskNameExists": "命名空间“{namespace}”中已有名为“{name}”的发布任务",
  "err.serviceHasActiveTask": "服务“{service}”已有进行中的发布任务“{task}”；请先完成或中止它",
};
