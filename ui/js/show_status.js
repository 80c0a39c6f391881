() => document.querySelector('#train-status')?.scrollIntoView({block: 'nearest'})
