import express from 'express';

const profile = express.Router({ mergeParams: true });

profile.get('/', getProfile);
profile.patch('/', updateProfile);

export default profile;
