import { mount } from 'svelte'
import RegionSelector from './RegionSelector.svelte'
import './overlay.css'

const target = document.getElementById('app')
if (!target) throw new Error('#app element missing from selector.html')

/** The mounted region selector of one display. */
export default mount(RegionSelector, { target })
