import { mount } from 'svelte'
import Overlay from './Overlay.svelte'
import './overlay.css'

const target = document.getElementById('app')
if (!target) throw new Error('#app element missing from overlay.html')

/** The mounted labels overlay. */
export default mount(Overlay, { target })
