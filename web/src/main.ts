import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-notification.css'
import './styles.css'
import App from './App.vue'
import { router, toLogin } from './router'
import { configureClient } from './api/client'
import { useAuth } from './stores/auth'

const app = createApp(App)
app.use(createPinia())
const auth = useAuth()
configureClient({
  token: () => auth.token,
  unauthorized: () => toLogin(router.currentRoute.value.fullPath),
})
if (auth.token) auth.setToken(auth.token, () => toLogin(router.currentRoute.value.fullPath))
app.use(router)
app.mount('#app')
