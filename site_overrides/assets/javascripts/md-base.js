/* mkdocs-material 9.8.1's inline script of partials/javascripts/base.html (MIT licence), in a file of its own:
   the site's Content-Security-Policy allows scripts of the site only, no inline script.
   The theme's scope (its settings in localStorage) is the site root: two folders up from this file, where
   the inline script computed it from the page's base_url. */
__md_scope=new URL("../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
