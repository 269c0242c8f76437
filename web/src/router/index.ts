// Routes by the project's life; `meta.roles` says who sees a page in the menu and may open it.
// The guard signs in and checks access in one place; a 401 anywhere returns to sign-in with the page.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuth } from '@/stores/auth'

export const BUREAUS = ['bdb', 'bdc', 'finance', 'approval_bureau', 'ndrc', 'leading_group', 'cac', 'crypto', 'secrecy',
  'police', 'admin', 'competent_dept', 'archives', 'third_party', 'expert', 'supervisor', 'contractor', 'big_data_group']
const ALL = ['unit', ...BUREAUS]

export const menu: { path: string; title: string; roles: string[] }[] = [
  { path: '/console', title: '工作台', roles: ALL },
  { path: '/console/projects', title: '项目库', roles: ALL },
  { path: '/console/declare', title: '申报', roles: ['unit', 'bdb'] },
  { path: '/console/review', title: '审核', roles: ['bdb', 'approval_bureau', 'expert', 'leading_group', 'finance'] },
  { path: '/console/funds', title: '资金', roles: ['finance', 'bdb', 'unit'] },
  { path: '/console/supervision', title: '监管', roles: ['bdb', 'bdc', 'finance', 'approval_bureau', 'cac', 'crypto', 'secrecy', 'police', 'unit', 'competent_dept'] },
  { path: '/console/acceptance', title: '验收', roles: ['unit', 'bdb', 'archives', 'secrecy', 'third_party', 'ndrc', 'big_data_group'] },
  { path: '/console/admin', title: '管理', roles: ['admin', 'bdb', 'bdc'] },
  { path: '/console/stats', title: '统计', roles: ALL },
]

const rolesOf = (path: string) => menu.find((m) => m.path === path)?.roles || ALL

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/console' },
  { path: '/console/login', name: 'login', component: () => import('@/views/login/LoginView.vue'), meta: { public: true, title: '登录' } },
  { path: '/console/callback', name: 'callback', component: () => import('@/views/login/CallbackView.vue'), meta: { public: true, title: '登录中' } },
  {
    path: '/console',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'workbench', component: () => import('@/views/workbench/WorkbenchView.vue'), meta: { title: '工作台' } },
      { path: 'projects', name: 'projects', component: () => import('@/views/projects/ProjectListView.vue'), meta: { title: '项目库' } },
      { path: 'projects/:id', name: 'project', component: () => import('@/views/projects/ProjectDetailView.vue'), meta: { title: '项目详情' } },
      { path: 'declare', name: 'declare', component: () => import('@/views/declare/DeclareView.vue'), meta: { title: '申报', roles: rolesOf('/console/declare') } },
      { path: 'review', name: 'review', component: () => import('@/views/review/ReviewListView.vue'), meta: { title: '审核', roles: rolesOf('/console/review') } },
      { path: 'review/:id', name: 'review-project', component: () => import('@/views/review/ReviewView.vue'), meta: { title: '审核', roles: rolesOf('/console/review') } },
      { path: 'funds', name: 'funds', component: () => import('@/views/funds/FundsView.vue'), meta: { title: '资金', roles: rolesOf('/console/funds') } },
      { path: 'supervision', name: 'supervision', component: () => import('@/views/supervision/SupervisionView.vue'), meta: { title: '监管', roles: rolesOf('/console/supervision') } },
      { path: 'acceptance', name: 'acceptance', component: () => import('@/views/acceptance/AcceptanceView.vue'), meta: { title: '验收', roles: rolesOf('/console/acceptance') } },
      { path: 'admin', name: 'admin', component: () => import('@/views/admin/AdminView.vue'), meta: { title: '管理', roles: rolesOf('/console/admin') } },
      { path: 'stats', name: 'stats', component: () => import('@/views/stats/StatsView.vue'), meta: { title: '统计' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { title: '未找到' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/console' },
]

export const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) })

export function toLogin(current: string) {
  const auth = useAuth()
  auth.setToken(null)
  if (router.currentRoute.value.name !== 'login') router.replace({ name: 'login', query: { redirect: current } })
}

router.beforeEach((to) => {
  const auth = useAuth()
  if (to.meta.public) return true
  if (!auth.signedIn) return { name: 'login', query: { redirect: to.fullPath } }
  const roles = to.meta.roles as string[] | undefined
  if (roles && !auth.hasRole(...roles)) return { name: 'workbench' }
  return true
})

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) || '工作台'} · GovPM 政务信息化项目全流程管理平台`
})
