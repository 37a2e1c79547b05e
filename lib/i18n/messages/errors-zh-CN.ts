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
  // foreign routes, actions
  "err.word.action.create": "创建发布",
  "err.word.action.setTraffic": "调整流量",
  "err.word.action.takeover": "接管全部流量",
  "err.word.action.switch": "切换",
  "err.word.action.retireOld": "下线旧版本",
  "err.word.action.confirm": "确认下一批",
  "err.foreignRoutes.refusedOne": "无法{action}：{routes} 仍把流量发往 {version}；请先修改该路由，或把它也迁移到新版本",
  "err.foreignRoutes.refusedMany": "无法{action}：{routes} 仍把流量发往 {version}；请先修改这些路由，或把它们也迁移到新版本",
  "err.foreignRoutes.notUsing": "{route} 并不是向 {version} 发送流量的路由",
  "err.foreignRoutes.notUsingAmong": "{route} 并不是向 {version} 发送流量的路由（这样的路由是 {routes}）",
  "err.foreignRoutes.noNewSubset": "无法{action}：没有选中新版本的 DestinationRule 子集，无法把 {routes} 迁移过去",
  "err.foreignRoutes.noIstio": "没有可迁移路由的 VirtualService：集群未安装 Istio 的 CRD",
  "err.confirm.keepEmptiesBase": "无法保持当前流量比例：这一组把 {base} 缩容到 0 个副本，它无法再承接流量；请按副本比例分配",
  "err.confirm.keepWithoutMesh": "此分批发布没有 VirtualService：流量随副本数分配，没有可保持的流量比例",
};
